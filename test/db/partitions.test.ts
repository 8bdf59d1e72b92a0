import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDecisionPartitionsBefore, ensureDecisionPartitions } from '../../src/db/partitions.js';
import { PostgresDecisionStore } from '../../src/decisions/postgres-decision-store.js';
import { newDecision } from '../decisions/new-decision.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/test-database.js';

describe.each(testBackends())('decision partitions on %s', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(() => test.drop());

  async function partitionOf(id: string): Promise<string | undefined> {
    const { rows } = await test.db.query<{ partition: string }>(
      'SELECT tableoid::regclass::text AS partition FROM decisions WHERE id = $1',
      [id],
    );
    return rows[0]?.partition;
  }

  it('creates daily partitions ahead, idempotently and safely from concurrent callers', async () => {
    const now = new Date('2031-03-30T23:59:59.999Z');
    const [first, second] = await Promise.all([
      ensureDecisionPartitions(test.db, now, 2),
      ensureDecisionPartitions(test.db, now, 2),
    ]);
    expect([...first!.created, ...second!.created].sort()).toEqual([
      'decisions_20310330',
      'decisions_20310331',
      'decisions_20310401',
    ]);
    expect(await ensureDecisionPartitions(test.db, now, 2)).toEqual({ created: [], blockedByDefault: [] });
  });

  it('puts a decision into its day’s partition, and into the default one when there is none', async () => {
    await ensureDecisionPartitions(test.db, new Date('2031-05-01T00:00:00Z'), 0);
    const store = new PostgresDecisionStore(test.db);
    const inDay = newDecision({ decidedAt: new Date('2031-05-01T23:59:59.999Z') });
    const inDefault = newDecision({ decidedAt: new Date('2031-05-02T00:00:00Z') });
    await store.insertMany([inDay, inDefault]);
    expect(await partitionOf(inDay.id)).toBe('decisions_20310501');
    expect(await partitionOf(inDefault.id)).toBe('decisions_default');
    expect(await store.findById(inDefault.id)).toMatchObject({ id: inDefault.id });
  });

  it('skips a day whose rows already sit in the default partition', async () => {
    const store = new PostgresDecisionStore(test.db);
    await store.insertMany([newDecision({ decidedAt: new Date('2031-06-02T08:00:00Z') })]);
    expect(await ensureDecisionPartitions(test.db, new Date('2031-06-01T12:00:00Z'), 2)).toEqual({
      created: ['decisions_20310601', 'decisions_20310603'],
      blockedByDefault: ['decisions_20310602'],
    });
  });

  it('drops the partitions, default rows and event keys of days before the cutoff', async () => {
    const store = new PostgresDecisionStore(test.db);
    await ensureDecisionPartitions(test.db, new Date('2029-01-01T00:00:00Z'), 1);
    // Deferred and never activated: settled once their windows closed (retention.test.ts covers the guard).
    const old = newDecision({ decidedAt: new Date('2029-01-01T10:00:00Z'), eventId: 'old', deferred: true });
    const oldInDefault = newDecision({ decidedAt: new Date('2028-12-31T10:00:00Z'), deferred: true });
    const kept = newDecision({ decidedAt: new Date('2029-01-02T10:00:00Z'), eventId: 'kept' });
    await store.insertMany([old, oldInDefault, kept]);

    const windowsClosedBefore = new Date('2029-01-02T15:00:00Z');
    expect(await dropDecisionPartitionsBefore(test.db, new Date('2029-01-02T15:00:00Z'), { windowsClosedBefore })).toEqual({
      dropped: ['decisions_20290101'],
      kept: [],
      defaultRows: 1,
    });
    expect(await store.findById(old.id)).toBeUndefined();
    expect(await store.findById(oldInDefault.id)).toBeUndefined();
    expect(await store.findByEvent(old.surface, 'old')).toBeUndefined();
    expect(await store.findByEvent(kept.surface, 'kept')).toMatchObject({ id: kept.id });
    expect(await partitionOf(kept.id)).toBe('decisions_20290102');
  });
});
