import { parseArgs } from 'node:util';
import { isScope, type ApiKey, type Scope } from '../auth/api-key.js';
import { ApiKeyService } from '../auth/api-key-service.js';
import { PostgresApiKeyStore } from '../auth/postgres-api-key-store.js';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS_DIR } from '../db/migrations-dir.js';
import { openDatabase } from '../db/open-database.js';
import { loadSurfaces } from '../surfaces/load-surfaces.js';

const HELP = `Usage: npm run keys -- create --name NAME --scopes decide,read,admin [--surfaces home,browse]
       npm run keys -- list [--format table|json]
       npm run keys -- revoke ID

Manages the API keys in the database (DATABASE_URL, or the embedded one under LIMELIGHT_DATA_DIR; stop
the embedded service first, it holds that database). Only a key's SHA-256 is stored: "create" prints
the key once, and it cannot be shown again.

  --name NAME        who or what the key is for
  --scopes LIST      decide (choose, reward, activate, read decisions), read (surfaces, reports,
                     dashboard, evaluations), admin (keys, rebuilds)
  --surfaces LIST    limit the key to these surfaces (default: every surface)
  --format F         list as a table (default) or as json

Exit status: 0 on success, 1 when revoke finds no such key, 2 on a usage error.`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        scopes: { type: 'string' },
        surfaces: { type: 'string' },
        format: { type: 'string', default: 'table' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${HELP}\n`);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const run = await commandOf(command, rest, values, config.policiesDir);
  if (typeof run === 'string') return usage(run);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database, MIGRATIONS_DIR);
    return await run(new ApiKeyService({ store: new PostgresApiKeyStore(database), cacheMs: 0, now: () => new Date() }));
  } finally {
    await database.close();
  }
}

type Command = (keys: ApiKeyService) => Promise<number>;

/** The command to run, or a usage error; every argument is checked before the database is opened. */
async function commandOf(
  command: string,
  rest: string[],
  values: { name?: string | undefined; scopes?: string | undefined; surfaces?: string | undefined; format?: string | undefined },
  policiesDir: string,
): Promise<Command | string> {
  switch (command) {
    case 'create': {
      if (rest.length > 0) return `unexpected argument "${rest[0]}"`;
      const name = values.name?.trim();
      if (!name || name.length > 100) return '--name is required (1–100 characters)';
      const scopes = list(values.scopes);
      if (scopes.length === 0) return '--scopes is required: decide, read and/or admin';
      const unknownScope = scopes.find((scope) => !isScope(scope));
      if (unknownScope !== undefined) return `--scopes: unknown scope "${unknownScope}" (decide, read, admin)`;
      const surfaces = list(values.surfaces);
      const catalog = await loadSurfaces(policiesDir);
      const unknownSurface = surfaces.find((surface) => !catalog.get(surface));
      if (unknownSurface !== undefined) return `--surfaces: surface "${unknownSurface}" does not exist in ${policiesDir}`;
      return async (keys) => {
        const { key, apiKey } = await keys.create({ name, scopes: scopes as Scope[], surfaces });
        process.stdout.write(`${key}\n`);
        process.stderr.write(`Created key ${apiKey.id} (${describe(apiKey)}). This is the only time it is shown: keep it now.\n`);
        return 0;
      };
    }
    case 'list': {
      if (rest.length > 0) return `unexpected argument "${rest[0]}"`;
      if (values.format !== 'table' && values.format !== 'json') return `--format must be table or json, got "${values.format}"`;
      const format = values.format;
      return async (keys) => {
        const rows = (await keys.list()).map((key) => ({
          id: key.id,
          name: key.name,
          scopes: key.scopes.join(','),
          surfaces: key.surfaces?.join(',') ?? '*',
          createdAt: key.createdAt.toISOString(),
          revokedAt: key.revokedAt?.toISOString() ?? '',
        }));
        if (format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else console.table(rows);
        return 0;
      };
    }
    case 'revoke': {
      const [id, ...extra] = rest;
      if (id === undefined || extra.length > 0) return 'revoke takes exactly one key id';
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return `"${id}" is not a key id (a UUID)`;
      return async (keys) => {
        const revoked = await keys.revoke(id);
        if (!revoked) {
          process.stderr.write(`keys: no key has id ${id}\n`);
          return 1;
        }
        process.stdout.write(`Revoked ${revoked.id} (${revoked.name}) at ${revoked.revokedAt?.toISOString()}\n`);
        return 0;
      };
    }
    default:
      return `unknown command "${command}" (create, list, revoke)`;
  }
}

const list = (value: string | undefined): string[] =>
  (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');

const describe = (key: ApiKey): string => `${key.name}: ${key.scopes.join(',')} on ${key.surfaces?.join(',') ?? 'every surface'}`;

function usage(message: string): number {
  process.stderr.write(`keys: ${message}\n\n${HELP}\n`);
  return 2;
}

process.exitCode = await main();
