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

  it('turns each logged JSON distribution into doubles in the order of its candidates (008)', async () => {
    const rows = await test.db.transaction(async (tx) => {
      // The migrations before 008 in a schema of their own, as a database logged before 008 has them.
      await tx.exec('CREATE SCHEMA before_compact_rows; SET LOCAL search_path TO before_compact_rows');
      for (const name of (await readdir(MIGRATIONS_DIR)).sort().filter((file) => file < '008')) {
        await tx.exec(await readFile(join(MIGRATIONS_DIR, name), 'utf8'));
      }
      await tx.exec(`INSERT INTO decisions (id, decided_at, surface, policy_arm, learner, config_version, model_key, model_version,
                                            context, candidates, probabilities, arm, propensity, seed, deferred, reward_by)
                     VALUES ('01a2194c-4ae2-7684-a93e-cc397849eb1a', '2026-11-26T19:19:20.034Z', 'home', 'lints', 'lints', 'v1',
                             'home:lints', 0, '{}', '{b,a,c}', '{"a": 0.1, "b": 0.2, "c": 0.7000000000000001}', 'c',
                             0.7000000000000001, 'seed', false, '2026-11-26T20:19:20.034Z')`);
      await tx.exec(await readFile(join(MIGRATIONS_DIR, '008_compact_decision_rows.sql'), 'utf8'));
      const { rows } = await tx.query<{ candidates: string[]; probabilities: number[] }>('SELECT candidates, probabilities FROM decisions');
      await tx.exec('DROP SCHEMA before_compact_rows CASCADE');
      return rows;
    });
    expect(rows).toEqual([{ candidates: ['b', 'a', 'c'], probabilities: [0.2, 0.1, 0.7000000000000001] }]);
  });

  it('uses idempotent DDL: running the files again as plain SQL succeeds', async () => {
    for (const name of (await readdir(MIGRATIONS_DIR)).sort()) {
      await test.db.exec(await readFile(join(MIGRATIONS_DIR, name), 'utf8'));
    }
  });
});
