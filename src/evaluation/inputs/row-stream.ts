/**
 * A stream of rows that can also be read a batch at a time. Iterating it row by row works like any
 * async iterable; `batches()` hands over the same rows in the reader's own chunks (a file chunk, a cursor
 * FETCH), so a consumer that loops over a batch synchronously pays one `await` per batch instead of one
 * per row — at millions of rows the per-row async-iterator step costs more than the evaluation itself.
 * Each call of either starts reading from the beginning.
 */
export interface RowStream<R> extends AsyncIterable<R> {
  batches(): AsyncIterable<readonly R[]>;
}

/** A `RowStream` over a batch producer; row-by-row iteration flattens its batches. */
export function rowStream<R>(batches: () => AsyncIterable<readonly R[]>): RowStream<R> {
  return {
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

/** Rows per batch when grouping a plain iterable that has no batches of its own. */
const GROUPED_BATCH = 1_000;

/**
 * The batches of `rows`: its own when it is a `RowStream`, otherwise its rows grouped as they arrive
 * (any async iterable still works, only without the saving).
 */
export async function* batchesOf<R>(rows: AsyncIterable<R>): AsyncGenerator<readonly R[]> {
  if (isRowStream(rows)) {
    yield* rows.batches();
    return;
  }
  let batch: R[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === GROUPED_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function isRowStream<R>(rows: AsyncIterable<R>): rows is RowStream<R> {
  return typeof (rows as Partial<RowStream<R>>).batches === 'function';
}
