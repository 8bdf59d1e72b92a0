import pg from 'pg';
import type { Database, Queryable, QueryOptions, QueryResult } from './database.js';

const INT8_OID = 20;

/**
 * node-postgres returns `bigint` as a string because it may exceed 2^53; our bigints are counts and
 * model versions, far below that, so they become numbers. Set on this pool only, never globally, so
 * other pg users in the process keep the library's defaults.
 */
function typeParsers(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, Number);
  return types;
}

export interface PgDatabaseOptions {
  connectionString: string;
  /**
   * Receives errors of idle pooled connections (e.g. the server restarted). Without a listener
   * node-postgres rethrows them and the process exits.
   */
  onIdleError?: (error: Error) => void;
}

/** A `Database` on a `pg.Pool`; the pool size stays at the library default. */
export class PgDatabase implements Database {
  private readonly pool: pg.Pool;

  constructor({ connectionString, onIdleError }: PgDatabaseOptions) {
    this.pool = new pg.Pool({ connectionString, types: typeParsers() });
    if (onIdleError) this.pool.on('error', onIdleError);
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
    return runQuery<R>(this.pool, sql, params, options);
  }

  async exec(sqlScript: string): Promise<void> {
    await this.pool.query(sqlScript);
  }

  /** One client for every statement of the transaction, as node-postgres requires. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A client whose ROLLBACK failed is in an unknown state; releasing it with the error destroys it.
    let brokenClient: Error | undefined;
    // The pool stops listening to a client it hands out, so a connection lost between two statements
    // (the server stopped) would be an unhandled 'error' event that ends the process. Recorded here, it
    // fails the next statement instead, and the client is destroyed on release.
    const onConnectionError = (error: Error) => {
      brokenClient = error;
    };
    client.on('error', onConnectionError);
    try {
      await client.query('BEGIN');
      const result = await fn({
        query: <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => runQuery<R>(client, sql, params, options),
        exec: async (sqlScript: string) => {
          await client.query(sqlScript);
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        brokenClient = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      client.removeListener('error', onConnectionError);
      client.release(brokenClient);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function runQuery<R>(
  target: pg.Pool | pg.PoolClient,
  sql: string,
  params: readonly unknown[] | undefined,
  options: QueryOptions | undefined,
): Promise<QueryResult<R>> {
  const values = params ? [...params] : undefined;
  const result = await (options?.preparedAs === undefined
    ? target.query(sql, values)
    : target.query({ name: options.preparedAs, text: sql, values: values ?? [] }));
  return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
}
