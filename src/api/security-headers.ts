import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * helmet's headers with a Content-Security-Policy that lets the dashboard run its own scripts and
 * uPlot, all served from this origin, and nothing from anywhere else. Inline styles stay allowed for
 * the reference page's `<style>` and uPlot's computed styles; inline scripts do not.
 *
 * None of these headers depends on the request (no CSP nonce), so helmet runs once, at start-up, and
 * each response gets the headers it set: one middleware instead of helmet's chain of a dozen, which
 * took 7 % of the service's CPU on `/choose` in `npm run bench:http`.
 */
export function securityHeaders(): RequestHandler {
  const headers = securityHeaderList();
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

let list: ReadonlyArray<readonly [string, string]> | undefined;

/** The headers helmet sets on every response, as name–value pairs (computed once). */
export function securityHeaderList(): ReadonlyArray<readonly [string, string]> {
  list ??= helmetHeaders();
  return list;
}

function helmetHeaders(): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: string) => headers.push([name, value]),
    removeHeader: () => {},
  } as unknown as ServerResponse;
  let finished = false;
  helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'none'"],
        // The embedded demo is served over plain HTTP, often on a LAN address; upgrading would break it.
        'upgrade-insecure-requests': null,
      },
    },
    // The same as frame-ancestors 'none', for browsers that predate it.
    frameguard: { action: 'deny' },
  })({} as IncomingMessage, recorder, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not set its headers synchronously');
  return headers;
}
