/** The rows of one statement; `rowCount` is the number of rows returned or changed. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Prepare the statement once per connection under this name and reuse its plan: for a hot statement
   * whose text never changes. Planning the decision log's INSERT (a partitioned table) took as long
   * as running it. Embedded PGlite ignores it.
   */
  preparedAs?: string;
}

/** What a store may run: on the database, or inside one of its transactions. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
  /** Runs a script of several statements; it takes no parameters. */
  exec(sqlScript: string): Promise<void>;
}

/**
 * The one database abstraction every store uses, backed by Postgres or by embedded PGlite.
 *
 * Both implementations parse values the same way: `bigint` and counts → number, `double precision` →
 * number, `timestamptz` → Date, `json`/`jsonb` → parsed value, arrays → arrays.
 */
export interface Database extends Queryable {
  /** Runs `fn` on one connection between BEGIN and COMMIT; rolls back and rethrows when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
