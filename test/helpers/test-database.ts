import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../../src/db/migrations-dir.js';
import { PgDatabase } from '../../src/db/pg-database.js';
import { PgliteDatabase } from '../../src/db/pglite-database.js';
import { withServer } from '../../src/simulation/scratch-backends.js';

export type TestBackend = 'postgres' | 'pglite';

export interface TestDatabase {
  backend: TestBackend;
  /** A migrated database of its own. */
  db: Database;
  /** Closes `db` and deletes the database. */
  drop(): Promise<void>;
}

/** Serialises template builds and clones across vitest workers; clones fail while a template is in use. */
const TEMPLATE_LOCK_KEY = 7_316_021_100;

/**
 * A server's connection string from the environment. In CI (`CI=true`) a missing one throws: the tests
 * that need the real server must run there, not quietly fall back to an embedded stand-in or skip.
 */
export function requiredInCi(variable: 'DATABASE_URL' | 'REDIS_URL', server: string): string | undefined {
  const url = process.env[variable];
  if (!url && process.env['CI'] === 'true') {
    throw new Error(`CI=true but ${variable} is not set: tests must run against real ${server} in CI`);
  }
  return url || undefined;
}

/** Runs work on a short-lived client of the server (CREATE/DROP DATABASE cannot run in a pool's transaction). */
export { withServer as withAdminClient };

/** The Postgres connection string of the test run (see `requiredInCi`). */
export function requirePostgres(): string | undefined {
  return requiredInCi('DATABASE_URL', 'Postgres');
}

/** The backends a store test runs on, for `describe.each`: PGlite always, Postgres when configured. */
export function testBackends(): TestBackend[] {
  return requirePostgres() ? ['postgres', 'pglite'] : ['pglite'];
}

/**
 * A fresh migrated database. On Postgres it is `CREATE DATABASE … TEMPLATE` of a template migrated
 * once (named after the migrations' content, so it is rebuilt only when they change); on PGlite it is
 * a new in-memory instance.
 */
export async function createTestDatabase(
  backend: TestBackend = requirePostgres() ? 'postgres' : 'pglite',
): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const db = await PgliteDatabase.open('memory://');
    await migrate(db, MIGRATIONS_DIR);
    return { backend, db, drop: () => db.close() };
  }
  const url = requirePostgres();
  if (!url) throw new Error('DATABASE_URL is not set');
  const name = `limelight_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await withServer(url, async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const template = await ensureTemplate(url, admin);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
  const db = new PgDatabase({
    connectionString: databaseUrl(url, name),
    // pool.end() resolves before the server has closed every connection; the forced DROP then
    // terminates the stragglers, which report it as an idle-connection error.
    onIdleError: () => {},
  });
  return {
    backend,
    db,
    drop: async () => {
      await db.close();
      await withServer(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * The template for the current migrations, built under a temporary name and renamed once migrated,
 * so that a template that exists is complete even if an earlier run died while building it.
 */
async function ensureTemplate(url: string, admin: pg.Client): Promise<string> {
  const template = `limelight_template_${await migrationsHash()}`;
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
  if (rowCount) return template;
  const building = `${template}_building`;
  await admin.query(`DROP DATABASE IF EXISTS ${building}`);
  await admin.query(`CREATE DATABASE ${building}`);
  const db = new PgDatabase({ connectionString: databaseUrl(url, building) });
  try {
    await migrate(db, MIGRATIONS_DIR);
  } finally {
    await db.close();
  }
  await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
  // Templates of earlier migration sets are never used again.
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'limelight\\_template\\_%' AND datname <> $1`,
    [template],
  );
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname}`);
  return template;
}

async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(MIGRATIONS_DIR)).sort()) {
    hash.update(name).update(await readFile(join(MIGRATIONS_DIR, name)));
  }
  return hash.digest('hex').slice(0, 12);
}

function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
