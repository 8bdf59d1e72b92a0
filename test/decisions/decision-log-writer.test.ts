import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DecisionLogWriter } from '../../src/decisions/decision-log-writer.js';
import { PostgresDecisionStore } from '../../src/decisions/postgres-decision-store.js';
import { CountingDatabase } from '../helpers/counting-database.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/test-database.js';
import { newDecision } from './new-decision.js';

describe.each(testBackends())('DecisionLogWriter on %s', (backend) => {
  let test: TestDatabase;
  let counting: CountingDatabase;
  let store: PostgresDecisionStore;
  beforeAll(async () => {
    test = await createTestDatabase(backend);
    counting = new CountingDatabase(test.db);
    store = new PostgresDecisionStore(counting);
  });
  afterAll(() => test.drop());

  it('commits concurrent writes in few statements and resolves each with its own result', async () => {
    const committed: Array<{ rows: number; seconds: number }> = [];
    const writer = new DecisionLogWriter(store, { maxBatch: 100, onCommitted: (rows, seconds) => committed.push({ rows, seconds }) });
    const records = Array.from({ length: 250 }, () => newDecision({ surface: 'group-commit' }));
    const before = { statements: counting.statements, transactions: counting.transactions };

    const writes = records.map((record) => writer.write(record));
    expect(writer.queueDepth).toBe(250);
    const results = await Promise.all(writes);

    expect(results).toEqual(records.map((record) => ({ status: 'inserted', id: record.id })));
    // Written in the same tick: batches of 100, 100 and 50, each one INSERT (no event ids, so no transaction).
    expect(counting.statements - before.statements).toBe(3);
    expect(counting.transactions - before.transactions).toBe(0);
    // Two batches are in flight at once, so the 50 may commit before the second 100.
    expect(committed.map(({ rows }) => rows).sort((x, y) => y - x)).toEqual([100, 100, 50]);
    for (const { seconds } of committed) expect(seconds).toBeGreaterThan(0);
    expect(writer.queueDepth).toBe(0);
    expect(await store.findById(records[249]!.id)).toMatchObject({ surface: 'group-commit' });
  });

  it('batches the writes that arrive while an INSERT is in flight', async () => {
    let release = () => {};
    const inFlight = new Promise<void>((resolve) => (release = resolve));
    const batchSizes: number[] = [];
    const writer = new DecisionLogWriter({
      insertMany: async (records) => {
        batchSizes.push(records.length);
        await inFlight;
        return store.insertMany(records);
      },
    });
    const first = writer.write(newDecision({ surface: 'in-flight' }));
    await vi.waitFor(() => expect(batchSizes).toEqual([1]));
    const later = Array.from({ length: 40 }, () => writer.write(newDecision({ surface: 'in-flight' })));
    expect(writer.queueDepth).toBe(41);
    release();
    await Promise.all([first, ...later]);
    expect(batchSizes).toEqual([1, 40]);
  });

  it('starts a batch beside the one in flight only once enough rows wait, and never more than two at once', async () => {
    const releases: Array<() => void> = [];
    const batchSizes: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const writer = new DecisionLogWriter(
      {
        insertMany: async (records) => {
          batchSizes.push(records.length);
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          await new Promise<void>((resolve) => releases.push(resolve));
          inFlight--;
          return store.insertMany(records);
        },
      },
      { overlapAfterRows: 4 },
    );
    const writes = (count: number) => Array.from({ length: count }, () => writer.write(newDecision({ surface: 'pipelined' })));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
    const first = writes(1);
    await vi.waitFor(() => expect(batchSizes).toEqual([1]));
    // Three rows wait for the batch in flight; the fourth starts a second batch beside it.
    const second = writes(3);
    await settle();
    expect(batchSizes).toEqual([1]);
    second.push(...writes(1));
    await vi.waitFor(() => expect(batchSizes).toEqual([1, 4]));
    // Two batches commit at once: the third waits for one of them, however many rows wait.
    const third = writes(7);
    await settle();
    expect(batchSizes).toEqual([1, 4]);
    expect(writer.queueDepth).toBe(12);
    releases.shift()!();
    await vi.waitFor(() => expect(batchSizes).toEqual([1, 4, 7]));
    for (const release of releases.splice(0)) release();
    await Promise.all([...first, ...second, ...third]);
    expect(mostInFlight).toBe(2);
    expect(writer.queueDepth).toBe(0);
  });

  it('commits the rows left waiting below the threshold once the batch in flight is done', async () => {
    let release = () => {};
    const inFlight = new Promise<void>((resolve) => (release = resolve));
    const batchSizes: number[] = [];
    const writer = new DecisionLogWriter(
      {
        insertMany: async (records) => {
          batchSizes.push(records.length);
          if (batchSizes.length === 1) await inFlight;
          return store.insertMany(records);
        },
      },
      { overlapAfterRows: 8 },
    );
    const first = writer.write(newDecision({ surface: 'below-threshold' }));
    await vi.waitFor(() => expect(batchSizes).toEqual([1]));
    const waiting = Array.from({ length: 3 }, () => writer.write(newDecision({ surface: 'below-threshold' })));
    release();
    const results = await Promise.all([first, ...waiting]);
    expect(batchSizes).toEqual([1, 3]);
    expect(results.map((result) => result.status)).toEqual(['inserted', 'inserted', 'inserted', 'inserted']);
    await writer.close();
  });

  it('gives every writer of a repeated eventId the one decision logged', async () => {
    const writer = new DecisionLogWriter(store);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => writer.write(newDecision({ surface: 'writer-events', eventId: 'same' }))),
    );
    const ids = results.map((result) => (result.status === 'inserted' ? result.id : result.decision.id));
    expect(new Set(ids).size).toBe(1);
  });

  it('rejects the callers of a failed batch and carries on with the next one', async () => {
    const committed: number[] = [];
    const writer = new DecisionLogWriter(store, { onCommitted: (rows) => committed.push(rows) });
    const good = newDecision({ surface: 'failing' });
    const invalid = newDecision({ surface: 'failing', propensity: 1.5 });
    const failed = [writer.write(good), writer.write(invalid)];
    await expect(failed[0]).rejects.toThrow(/decisions_propensity_check/);
    await expect(failed[1]).rejects.toThrow(/decisions_propensity_check/);
    expect(await store.findById(good.id)).toBeUndefined();

    const retried = await writer.write(good);
    expect(retried).toEqual({ status: 'inserted', id: good.id });
    // Only the batch that committed is reported.
    expect(committed).toEqual([1]);
  });

  it('answers the writes of a committed batch even when its observer throws', async () => {
    const writer = new DecisionLogWriter(store, {
      onCommitted: () => {
        throw new Error('observer failed');
      },
    });
    const record = newDecision({ surface: 'observed' });
    await expect(writer.write(record)).resolves.toEqual({ status: 'inserted', id: record.id });
  });

  it('drains on close and refuses writes afterwards', async () => {
    const writer = new DecisionLogWriter(store);
    const records = Array.from({ length: 10 }, () => newDecision({ surface: 'closing' }));
    const writes = records.map((record) => writer.write(record));
    await writer.close();
    expect(writer.queueDepth).toBe(0);
    await expect(Promise.all(writes)).resolves.toHaveLength(10);
    await expect(writer.write(newDecision())).rejects.toThrow('The decision log writer is closed');
  });
});
