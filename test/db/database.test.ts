import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/test-database.js';

describe.each(testBackends())('Database on %s', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(() => test.drop());

  it('parses bigint, double precision, timestamptz, jsonb and arrays the same way', async () => {
    const { rows, rowCount } = await test.db.query(
      `SELECT 9007199254740991::bigint AS big, count(*) AS counted, 0.1::double precision AS float,
              '2030-01-10T12:00:00.123Z'::timestamptz AS at, '{"a":[1,0.5]}'::jsonb AS json,
              ARRAY['x', 'y,"z"'] AS texts
         FROM generate_series(1, 3)`,
    );
    expect(rowCount).toBe(1);
    expect(rows[0]).toEqual({
      big: 9007199254740991,
      counted: 3,
      float: 0.1,
      at: new Date('2030-01-10T12:00:00.123Z'),
      json: { a: [1, 0.5] },
      texts: ['x', 'y,"z"'],
    });
  });

  it('reports the rows an UPDATE changed', async () => {
    await test.db.exec('CREATE TABLE row_count_probe (n int); INSERT INTO row_count_probe VALUES (1), (2), (3);');
    const { rowCount } = await test.db.query('UPDATE row_count_probe SET n = n + 1 WHERE n > $1', [1]);
    expect(rowCount).toBe(2);
  });

  it('commits a transaction, and rolls it back when the function throws', async () => {
    await test.db.exec('CREATE TABLE transaction_probe (n int)');
    await test.db.transaction((tx) => tx.query('INSERT INTO transaction_probe VALUES (1)'));
    await expect(
      test.db.transaction(async (tx) => {
        await tx.query('INSERT INTO transaction_probe VALUES (2)');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const { rows } = await test.db.query<{ n: number }>('SELECT n FROM transaction_probe');
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('prepares a statement once per connection when asked to (Postgres; PGlite runs it unprepared)', async () => {
    const { sums, prepared } = await test.db.transaction(async (tx) => {
      const first = await tx.query<{ n: number }>('SELECT $1::int + 1 AS n', [1], { preparedAs: 'probe_plus_one' });
      const second = await tx.query<{ n: number }>('SELECT $1::int + 1 AS n', [41], { preparedAs: 'probe_plus_one' });
      const statements = await tx.query<{ count: number }>("SELECT count(*) AS count FROM pg_prepared_statements WHERE name = 'probe_plus_one'");
      return { sums: [first.rows[0]!.n, second.rows[0]!.n], prepared: statements.rows[0]!.count };
    });
    expect(sums).toEqual([2, 42]);
    expect(prepared).toBe(backend === 'postgres' ? 1 : 0);
  });
});
