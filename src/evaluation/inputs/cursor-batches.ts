import type { Database } from '../../db/database.js';

/**
 * Streams the rows of a query in batches through a server-side cursor: `DECLARE … NO SCROLL CURSOR`
 * inside one transaction, then `FETCH n` until it runs dry. The server keeps the result; this process
 * holds one batch at a time, so memory stays flat however many rows match. The transaction stays open
 * while the caller iterates; stopping early (`break`, a throw) closes it.
 *
 * `sql` must be a single SELECT with `$1…` parameters; `batchSize` a positive integer.
 */
export async function* cursorBatches<R>(db: Database, sql: string, params: readonly unknown[], batchSize: number): AsyncGenerator<R[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  // One-slot hand-over between the transaction (producer) and this generator (consumer): the producer
  // fetches the next batch only when the consumer asks for it, so at most one batch is in memory.
  let ask = deferred<boolean>();
  let answer = deferred<R[]>();
  const transaction = db.transaction(async (tx) => {
    await tx.query(`DECLARE evaluation_rows NO SCROLL CURSOR FOR ${sql}`, params);
    while (await ask.promise) {
      ask = deferred<boolean>();
      const { rows } = await tx.query<R>(`FETCH ${batchSize} FROM evaluation_rows`);
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
