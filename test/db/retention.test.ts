import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureDecisionPartitions } from '../../src/db/partitions.js';
import { applyRetention } from '../../src/db/retention.js';
import type { NewDecision } from '../../src/decisions/decision-record.js';
import { PostgresDecisionStore } from '../../src/decisions/postgres-decision-store.js';
import { loadSurfaces } from '../../src/surfaces/load-surfaces.js';
import type { Surface } from '../../src/surfaces/surface.js';
import { newDecision } from '../decisions/new-decision.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/test-database.js';
import { SHIPPED_POLICIES_DIR } from '../helpers/test-service.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** 2032-03-20T12:00Z. The shipped surfaces' largest attribution window is a day (search). */
const NOW = new Date('2032-03-20T12:00:00.000Z');
const at = (iso: string) => new Date(iso);

describe.each(testBackends())('retention of the decision log on %s', (backend) => {
  let surfaces: readonly Surface[];
  let test: TestDatabase;
  let store: PostgresDecisionStore;
  beforeAll(async () => {
    surfaces = (await loadSurfaces(SHIPPED_POLICIES_DIR)).list();
    test = await createTestDatabase(backend);
    store = new PostgresDecisionStore(test.db);
  });
  afterAll(() => test.drop());
  // Every test starts from an empty log with the daily partitions of 2032-03-01 to 2032-03-20.
  beforeEach(async () => {
    await test.db.exec('TRUNCATE decisions, decision_events');
    await ensureDecisionPartitions(test.db, at('2032-03-01T00:00:00Z'), 19);
  });

  async function partitions(): Promise<string[]> {
    const { rows } = await test.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'decisions'::regclass ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  }

  /** Logs the decision with its reward recorded at `rewardedAt` and learned: nothing left for the sweeper. */
  async function settled(decision: NewDecision, rewardedAt: Date): Promise<NewDecision> {
    await store.insertMany([decision]);
    expect(await store.recordReward(decision.id, 1, rewardedAt)).toMatchObject({ status: 'recorded' });
    await store.markLearned([decision.id], rewardedAt);
    return decision;
  }

  it('drops a settled partition and keeps one whose reward window is still open', async () => {
    const old = await settled(newDecision({ decidedAt: at('2032-03-10T09:00:00Z'), eventId: 'old' }), at('2032-03-10T09:30:00Z'));
    // Decided on the 17th with a window that a longer-lived surface config gave it: open until after NOW.
    const open = newDecision({ decidedAt: at('2032-03-17T20:00:00Z'), rewardBy: at('2032-03-20T18:00:00Z'), eventId: 'open' });
    await store.insertMany([open]);

    const plan = await applyRetention(test.db, surfaces, { now: NOW, olderThanDays: 2, dryRun: true });
    expect(plan.cutoff).toEqual(at('2032-03-18T00:00:00Z'));
    expect(plan.windowsClosedBefore).toEqual(new Date(NOW.getTime() - DAY_MS));
    expect(plan.dropped).toContain('decisions_20320310');
    expect(plan.kept).toEqual([{ partition: 'decisions_20320317', openWindows: 1, unsettled: 1 }]);
    expect(await partitions()).toContain('decisions_20320310');

    const result = await applyRetention(test.db, surfaces, { now: NOW, olderThanDays: 2 });
    expect(result.dropped).toEqual(plan.dropped);
    expect(result.dropped).toEqual(Array.from({ length: 17 }, (_, i) => `decisions_203203${String(i + 1).padStart(2, '0')}`).filter((name) => name !== 'decisions_20320317'));
    expect(await store.findById(old.id)).toBeUndefined();
    expect(await store.findByEvent(old.surface, 'old')).toBeUndefined();
    // The open decision is whole: its reward is still accepted and its event key still replays it.
    expect(await store.findByEvent(open.surface, 'open')).toMatchObject({ id: open.id });
    expect(await store.recordReward(open.id, 1, NOW)).toMatchObject({ status: 'recorded' });
  });

  it('keeps a partition whose windows closed less than the largest attribution window ago', async () => {
    // A search decision: a one-day window that closed 13 hours before NOW, within the day of margin.
    const recent = newDecision({ decidedAt: at('2032-03-18T23:00:00Z'), rewardBy: at('2032-03-19T23:00:00Z') });
    await store.insertMany([recent]);
    await store.claimDefaultRewards(NOW, 10, { [recent.surface]: 0 });
    await store.markLearned([recent.id], NOW);
    const result = await applyRetention(test.db, surfaces, { now: NOW, olderThanDays: 1 });
    expect(result.kept).toEqual([{ partition: 'decisions_20320318', openWindows: 1, unsettled: 0 }]);
    expect(await store.findById(recent.id)).toMatchObject({ reward: 0 });

    // A day and a bit later the margin has passed too, and the partition goes.
    const later = await applyRetention(test.db, surfaces, { now: new Date(NOW.getTime() + 12 * HOUR_MS), olderThanDays: 1 });
    expect(later.dropped).toContain('decisions_20320318');
    expect(later.kept).toEqual([]);
  });

  it('keeps a partition the sweeper is not done with, and a deferred decision while it can be activated', async () => {
    const waitingForDefault = newDecision({ decidedAt: at('2032-03-05T10:00:00Z') });
    const unlearned = newDecision({ decidedAt: at('2032-03-06T10:00:00Z') });
    const deferred = newDecision({ decidedAt: at('2032-03-07T10:00:00Z'), deferred: true, rewardBy: at('2032-03-19T20:00:00Z') });
    await store.insertMany([waitingForDefault, unlearned, deferred]);
    expect(await store.recordReward(unlearned.id, 1, at('2032-03-06T10:30:00Z'))).toMatchObject({ status: 'recorded' });

    const result = await applyRetention(test.db, surfaces, { now: NOW, olderThanDays: 7 });
    expect(result.kept).toEqual([
      { partition: 'decisions_20320305', openWindows: 0, unsettled: 1 },
      { partition: 'decisions_20320306', openWindows: 0, unsettled: 1 },
      { partition: 'decisions_20320307', openWindows: 1, unsettled: 0 },
    ]);
    // Activated now, the deferred decision is still there to be learned from.
    expect(await store.activate(deferred.id, NOW)).toMatchObject({ alreadyActive: false });

    // Once the sweeper has defaulted and learned them, the next run drops both.
    const claimed = await store.claimDefaultRewards(NOW, 10, { [waitingForDefault.surface]: 0 });
    expect(claimed.map((decision) => decision.id).sort()).toEqual([waitingForDefault.id, deferred.id].sort());
    await store.markLearned([waitingForDefault.id, unlearned.id, deferred.id], NOW);
    const next = await applyRetention(test.db, surfaces, { now: NOW, olderThanDays: 7 });
    expect(next.dropped).toEqual(expect.arrayContaining(['decisions_20320305', 'decisions_20320306']));
    // The activated decision's window closed less than a day before NOW: its partition waits.
    expect(next.kept).toEqual([{ partition: 'decisions_20320307', openWindows: 1, unsettled: 0 }]);
  });

  it('deletes settled rows of the default partition and keeps open ones', async () => {
    // No partition exists for February: these rows sit in the default partition.
    const settledRow = await settled(newDecision({ decidedAt: at('2032-02-10T10:00:00Z') }), at('2032-02-10T10:10:00Z'));
    const openRow = newDecision({ decidedAt: at('2032-02-11T10:00:00Z'), rewardBy: at('2032-03-21T00:00:00Z') });
    await store.insertMany([openRow]);
    const result = await applyRetention(test.db, surfaces, { now: NOW, olderThanDays: 30 });
    expect(result.defaultRows).toBe(1);
    expect(await store.findById(settledRow.id)).toBeUndefined();
    expect(await store.findById(openRow.id)).toMatchObject({ id: openRow.id });
  });

  it('refuses an age that is not a positive whole number of days', async () => {
    await expect(applyRetention(test.db, surfaces, { now: NOW, olderThanDays: 0 })).rejects.toThrow('olderThanDays must be a positive integer, got 0');
  });
});
