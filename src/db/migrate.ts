import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './database.js';

/** Advisory lock key shared by every replica that migrates; an arbitrary constant unique to Limelight. */
const MIGRATION_LOCK_KEY = 7_316_021_001;

const MIGRATION_FILE = /^\d{3}_[a-z0-9_]+\.sql$/;

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/**
 * Applies the pending `NNN_name.sql` files of `migrationsDir` in name order, in one transaction that
 * holds an advisory lock so that replicas starting together apply each file once.
 *
 * @returns the names of the files applied now.
 * @throws Error when a file applied earlier has since been edited: landed migrations are immutable,
 * a change needs a new file.
 */
export async function migrate(db: Database, migrationsDir: string): Promise<string[]> {
  const migrations = await readMigrations(migrationsDir);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    // The runner's own bookkeeping table; created here because it must exist before any file runs.
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    // A recorded name without a file is tolerated: during a rolling deploy an older replica sees the
    // newer replica's migrations.
    const pending: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.name);
      if (checksum === undefined) {
        await tx.exec(migration.sql);
        await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
          migration.name,
          migration.checksum,
        ]);
        pending.push(migration.name);
      } else if (checksum !== migration.checksum) {
        throw new Error(
          `Migration ${migration.name} was edited after it was applied (applied checksum ${checksum}, ` +
            `file checksum ${migration.checksum}); restore the file and put the change in a new migration.`,
        );
      }
    }
    return pending;
  });
}

async function readMigrations(migrationsDir: string): Promise<Migration[]> {
  const names = (await readdir(migrationsDir)).filter((name) => MIGRATION_FILE.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(migrationsDir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}
