import type { OpenApiDocument } from './schema-validator.js';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * The API reference as one self-contained HTML page rendered from `openapi.yaml`: every operation with
 * its summary, request schema and responses, and every schema in full. No script and no CDN, so it works
 * offline and with the embedded default.
 */
export function renderReferencePage(document: OpenApiDocument): string {
  const info = (document['info'] ?? {}) as { title?: string; version?: string; description?: string };
  const paths = (document['paths'] ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  const schemas = ((document['components'] as { schemas?: Record<string, unknown> } | undefined)?.schemas ?? {}) as Record<string, unknown>;
  const operations = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, operation]) => {
        const responses = Object.entries((operation['responses'] ?? {}) as Record<string, { description?: string }>)
          .map(([status, response]) => `<li><code>${escape(status)}</code> ${escape(response.description ?? '')}</li>`)
          .join('');
        const body = (operation['requestBody'] as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.['application/json']?.schema;
        return `<section><h3><span class="method">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p>${escape(String(operation['summary'] ?? ''))}</p>${operation['description'] ? `<p>${escape(String(operation['description']))}</p>` : ''}
${body ? `<p>Request body: <code>${escape(JSON.stringify(body))}</code></p>` : ''}<ul>${responses}</ul></section>`;
      }),
  );
  const schemaSections = Object.entries(schemas)
    .map(([name, schema]) => `<section id="${escape(name)}"><h3>${escape(name)}</h3><pre>${escape(JSON.stringify(schema, null, 2))}</pre></section>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(info.title ?? 'API')} reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font:13px ui-monospace,monospace}pre{background:#f6f6f6;padding:.75rem;overflow:auto}
.method{background:#1db954;color:#fff;border-radius:3px;padding:0 .4rem;font-size:13px}section{border-top:1px solid #ddd}</style></head>
<body><h1>${escape(info.title ?? 'API')} <small>${escape(info.version ?? '')}</small></h1><p>${escape(info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p>
<h2>Operations</h2>${operations.join('\n')}<h2>Schemas</h2>${schemaSections}</body></html>`;
}
