import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.js';

const INT8_OID = 20;
const IN_MEMORY = 'memory://';

/**
 * A `Database` on embedded PGlite (Postgres compiled to WebAssembly), for running without a server
 * and for fast tests. PGlite is a single connection: its own mutex serialises statements and whole
 * transactions, so a transaction never interleaves with other work.
 */
export class PgliteDatabase implements Database {
  private constructor(private readonly pglite: PGlite) {}

  /** Opens the database persisted under `dataDir`, or an in-memory one for `memory://`. */
  static async open(dataDir: string): Promise<PgliteDatabase> {
    if (!dataDir.startsWith(IN_MEMORY)) await mkdir(dataDir, { recursive: true });
    // PGlite returns bigints beyond 2^53 as BigInt; always a number, as the pg implementation does.
    const pglite = await PGlite.create(dataDir, { parsers: { [INT8_OID]: Number } });
    return new PgliteDatabase(pglite);
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return runQuery<R>(this.pglite, sql, params);
  }

  async exec(sqlScript: string): Promise<void> {
    await this.pglite.exec(sqlScript);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) =>
      fn({
        query: <R>(sql: string, params?: readonly unknown[]) => runQuery<R>(tx, sql, params),
        exec: async (sqlScript: string) => {
          await tx.exec(sqlScript);
        },
      }),
    );
  }

  async close(): Promise<void> {
    await this.pglite.close();
  }
}

async function runQuery<R>(
  target: PGlite | Transaction,
  sql: string,
  params: readonly unknown[] | undefined,
): Promise<QueryResult<R>> {
  const result = await target.query<R>(sql, params ? [...params] : undefined);
  return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
}
