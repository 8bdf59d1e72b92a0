import type { NewDecision } from './decision-record.js';
import type { DecisionStore, InsertResult } from './decision-store.js';

/** Rows per INSERT: large enough to absorb bursts, small enough to keep one statement short. */
const MAX_BATCH = 500;
/**
 * Batches committing at once. With one, the event loop idles through every commit round trip once all
 * clients wait on the same batch; with two, the next batch is decided while the previous one commits.
 */
const MAX_BATCHES_IN_FLIGHT = 2;
/**
 * Rows that must be waiting before a second batch commits beside the one in flight. Below it they wait
 * for that batch and go in the next, bigger one: fewer commits, so less of Postgres's CPU and the
 * service's per request, where a load below the maximum gains nothing from the overlap. Ad hoc, in
 * `npm run bench:http`'s setting at 2,350 req/s: always overlapping made about 1,600 commits a second
 * against 900–1,200 with one batch in flight, Postgres took 38–42 % of a CPU against 32–35 % with one
 * batch or this threshold, and the p99 of six 10-second runs had a median of 20 ms against 12 with
 * the threshold; at full speed the threshold lost no throughput (4,880–5,440 req/s against
 * 4,500–4,790, rounds in one run).
 */
const OVERLAP_AFTER_ROWS = 8;

export interface DecisionLogWriterOptions {
  maxBatch?: number;
  maxInFlight?: number;
  /** Rows waiting before a further batch may start while one commits (`OVERLAP_AFTER_ROWS`). */
  overlapAfterRows?: number;
  /** Told of each committed batch: its rows and its INSERT's round trip in seconds (failed ones are not). */
  onCommitted?: (rows: number, seconds: number) => void;
}

interface PendingWrite {
  record: NewDecision;
  resolve: (result: InsertResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the decision log. Decisions wait in a queue; a batch takes all of it (up to
 * `maxBatch`) in one INSERT, one round trip per batch instead of one per request. While a batch
 * commits, the next one starts only once `overlapAfterRows` rows wait, and at most `maxInFlight`
 * batches commit at once. No timer adds latency when the load is light.
 */
export class DecisionLogWriter {
  private queue: PendingWrite[] = [];
  private rowsInFlight = 0;
  private batchesInFlight = 0;
  private flushScheduled = false;
  private closed = false;
  private whenIdle: Array<() => void> = [];

  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly overlapAfterRows: number;
  private readonly onCommitted: (rows: number, seconds: number) => void;

  constructor(
    private readonly store: Pick<DecisionStore, 'insertMany'>,
    options: DecisionLogWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
    this.maxInFlight = options.maxInFlight ?? MAX_BATCHES_IN_FLIGHT;
    this.overlapAfterRows = options.overlapAfterRows ?? OVERLAP_AFTER_ROWS;
    this.onCommitted = options.onCommitted ?? (() => {});
  }

  /** Decisions accepted but not yet committed, the batches in flight included. */
  get queueDepth(): number {
    return this.queue.length + this.rowsInFlight;
  }

  /** Resolves once the decision's batch has committed; rejects with the batch's error. */
  write(record: NewDecision): Promise<InsertResult> {
    if (this.closed) return Promise.reject(new Error('The decision log writer is closed'));
    return new Promise<InsertResult>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Refuses new writes and resolves once every accepted one has settled. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.queueDepth === 0 && !this.flushScheduled) return;
    await new Promise<void>((resolve) => this.whenIdle.push(resolve));
  }

  /** Flushes after one microtask, so that the writes issued in the same tick share a batch. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.batchesInFlight >= this.maxInFlight) return;
    if (this.batchesInFlight > 0 && this.queue.length < this.overlapAfterRows) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length > 0) {
      this.batchesInFlight++;
      this.rowsInFlight += batch.length;
      if (this.queue.length > 0) this.scheduleFlush();
      try {
        const started = performance.now();
        const results = await this.store.insertMany(batch.map((write) => write.record));
        const seconds = (performance.now() - started) / 1000;
        batch.forEach((write, i) => write.resolve(results[i]!));
        // After the answers: an observer that throws cannot fail writes that committed.
        this.onCommitted(batch.length, seconds);
      } catch (error) {
        for (const write of batch) write.reject(error);
      } finally {
        this.batchesInFlight--;
        this.rowsInFlight -= batch.length;
      }
    }
    if (this.queue.length > 0) this.scheduleFlush();
    else if (this.batchesInFlight === 0 && !this.flushScheduled) for (const resolve of this.whenIdle.splice(0)) resolve();
  }
}
