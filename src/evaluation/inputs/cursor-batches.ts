import type { Database } from '../../db/database.js';

/**
 * Streams the rows of a query in batches through a server-side cursor: `DECLARE … NO SCROLL CURSOR`
 * inside one transaction, then `FETCH n` until it runs dry. The server keeps the result; this process
 * holds at most two batches: the one the caller is working on and the next, fetched meanwhile so that the
 * server produces rows while the caller consumes them (a FETCH answered only on demand would leave one
 * of the two idle at all times). The transaction stays open while the caller iterates; stopping early
 * (`break`, a throw) closes it.
 *
 * `sql` must be a single SELECT with `$1…` parameters; `batchSize` a positive integer.
 */
export async function* cursorBatches<R>(db: Database, sql: string, params: readonly unknown[], batchSize: number): AsyncGenerator<R[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  // Hand-over between the transaction (producer) and this generator (consumer): the producer answers
  // each ask with the batch it fetched ahead and starts fetching the next one.
  let ask = deferred<boolean>();
  let answer = deferred<R[]>();
  const transaction = db.transaction(async (tx) => {
    await tx.query(`DECLARE evaluation_rows NO SCROLL CURSOR FOR ${sql}`, params);
    const fetch = () => {
      const rows = tx.query<R>(`FETCH ${batchSize} FROM evaluation_rows`).then((result) => result.rows);
      // A failed fetch ahead that is never asked for (the consumer stopped) must not crash the process;
      // the failure still reaches whoever awaits it, and the CLOSE after it fails the transaction.
      rows.catch(() => {});
      return rows;
    };
    let ahead = fetch();
    while (await ask.promise) {
      ask = deferred<boolean>();
      const rows = await ahead;
      if (rows.length > 0) ahead = fetch();
      answer.resolve(rows);
      if (rows.length === 0) break;
    }
    await tx.query('CLOSE evaluation_rows');
  });
  transaction.catch((error: unknown) => answer.reject(error));
  let finished = false;
  try {
    for (;;) {
      const pending = answer;
      ask.resolve(true);
      const rows = await pending.promise;
      answer = deferred<R[]>();
      if (rows.length === 0) break;
      yield rows;
    }
    finished = true;
  } finally {
    if (!finished) ask.resolve(false);
    await transaction;
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A rejection nobody awaits (the consumer already stopped) must not crash the process.
  promise.catch(() => {});
  return { promise, resolve, reject };
}
