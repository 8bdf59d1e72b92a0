import { appendFile, copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../../src/db/migrations-dir.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/test-database.js';

describe.each(testBackends())('migrate on %s', (backend) => {
  let test: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(() => test.drop());

  /** A copy of the project's migrations that a test may extend or edit. */
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'limelight-migrations-'));
    for (const name of await readdir(MIGRATIONS_DIR)) await copyFile(join(MIGRATIONS_DIR, name), join(dir, name));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('applies nothing to a migrated database', async () => {
    expect(await migrate(test.db, dir)).toEqual([]);
    const { rows } = await test.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((row) => row.name)).toEqual((await readdir(MIGRATIONS_DIR)).sort());
  });

  it('applies a new file once when two replicas migrate at the same time', async () => {
    // Not idempotent on purpose: applying it twice would fail.
    await writeFile(join(dir, '900_concurrency_probe.sql'), 'CREATE TABLE concurrency_probe (n int);');
    const results = await Promise.all([migrate(test.db, dir), migrate(test.db, dir)]);
    expect(results.flat()).toEqual(['900_concurrency_probe.sql']);
  });

  it('refuses to run when an applied file was edited', async () => {
    await appendFile(join(dir, '001_decision_log.sql'), '\n-- an edit\n');
    await expect(migrate(test.db, dir)).rejects.toThrow(
      new RegExp(
        '^Migration 001_decision_log\\.sql was edited after it was applied ' +
          '\\(applied checksum [0-9a-f]{64}, file checksum [0-9a-f]{64}\\); ' +
          'restore the file and put the change in a new migration\\.$',
      ),
    );
  });

  it('uses idempotent DDL: running the files again as plain SQL succeeds', async () => {
    for (const name of (await readdir(MIGRATIONS_DIR)).sort()) {
      await test.db.exec(await readFile(join(MIGRATIONS_DIR, name), 'utf8'));
    }
  });
});
