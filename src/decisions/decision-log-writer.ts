import type { NewDecision } from './decision-record.js';
import type { DecisionStore, InsertResult } from './decision-store.js';

/** Rows per INSERT: large enough to absorb bursts, small enough to keep one statement short. */
const MAX_BATCH = 500;

interface PendingWrite {
  record: NewDecision;
  resolve: (result: InsertResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the decision log. Decisions arriving while an INSERT is in flight wait in a queue,
 * and the next INSERT takes them all (up to `maxBatch`): one transaction per round trip instead of
 * one per request, with no timer adding latency when the load is light.
 */
export class DecisionLogWriter {
  private queue: PendingWrite[] = [];
  private inFlight = 0;
  private draining: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: Pick<DecisionStore, 'insertMany'>,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  /** Decisions accepted but not yet committed, the batch in flight included. */
  get queueDepth(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves once the decision's batch has committed; rejects with the batch's error. */
  write(record: NewDecision): Promise<InsertResult> {
    if (this.closed) return Promise.reject(new Error('The decision log writer is closed'));
    return new Promise<InsertResult>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Refuses new writes and resolves once every accepted one has settled. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
  }

  private async drain(): Promise<void> {
    // Waiting one microtask lets writes issued in the same tick share the first batch.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight = batch.length;
      try {
        const results = await this.store.insertMany(batch.map((write) => write.record));
        batch.forEach((write, i) => write.resolve(results[i]!));
      } catch (error) {
        for (const write of batch) write.reject(error);
      } finally {
        this.inFlight = 0;
      }
    }
    // Cleared with no await after the emptiness check, so a write can never find a finished drain.
    this.draining = undefined;
  }
}
