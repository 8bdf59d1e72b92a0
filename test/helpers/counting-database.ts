import type { Database, Queryable } from '../../src/db/database.js';

/** Wraps a `Database` and counts the statements and transactions run through it. */
export class CountingDatabase implements Database {
  statements = 0;
  transactions = 0;

  constructor(private readonly inner: Database) {}

  query: Queryable['query'] = (sql, params, options) => {
    this.statements++;
    return this.inner.query(sql, params, options);
  };

  exec = (sqlScript: string): Promise<void> => {
    this.statements++;
    return this.inner.exec(sqlScript);
  };

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.transactions++;
    return this.inner.transaction((tx) =>
      fn({
        query: (sql, params, options) => {
          this.statements++;
          return tx.query(sql, params, options);
        },
        exec: (sqlScript) => {
          this.statements++;
          return tx.exec(sqlScript);
        },
      }),
    );
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
