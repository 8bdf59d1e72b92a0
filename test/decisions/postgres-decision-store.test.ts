import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDecisionId } from '../../src/decisions/decision-id.js';
import type { DecisionRecord } from '../../src/decisions/decision-record.js';
import type { InsertResult } from '../../src/decisions/decision-store.js';
import { PostgresDecisionStore } from '../../src/decisions/postgres-decision-store.js';
import { CountingDatabase } from '../helpers/counting-database.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/test-database.js';
import { newDecision } from './new-decision.js';

const T0 = new Date('2030-01-10T12:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** The id a caller ends up with: its own, or the earlier decision's. */
const decidedId = (result: InsertResult) => (result.status === 'inserted' ? result.id : result.decision.id);

describe.each(testBackends())('PostgresDecisionStore on %s', (backend) => {
  let test: TestDatabase;
  let store: PostgresDecisionStore;
  beforeAll(async () => {
    test = await createTestDatabase(backend);
    store = new PostgresDecisionStore(test.db);
  });
  afterAll(() => test.drop());

  it('round-trips a decision exactly', async () => {
    const decision = newDecision({
      surface: 'round-trip',
      eventId: 'evt-1',
      context: { country: 'NL', nested: { list: [1, 2.5, 'x'] }, tiny: 1e-7 },
      candidates: ['a', 'b"quoted', 'c,comma'],
      probabilities: { a: 1 / 3, 'b"quoted': 1 / 3, 'c,comma': 0.33333333333333337 },
      arm: 'a',
      propensity: 1 / 3,
    });
    expect(await store.insertMany([decision])).toEqual([{ status: 'inserted', id: decision.id }]);
    const expected: DecisionRecord = {
      ...decision,
      activatedAt: null,
      reward: null,
      rewardSource: null,
      rewardedAt: null,
      learnedAt: null,
    };
    expect(await store.findById(decision.id)).toStrictEqual(expected);
    expect(await store.findByEvent('round-trip', 'evt-1')).toStrictEqual(expected);
  });

  it('stores the distribution as one double per candidate, in the order of the candidates', async () => {
    const decision = newDecision({ surface: 'vector', candidates: ['c', 'a', 'b'], probabilities: { a: 0.1, b: 0.2, c: 0.7000000000000001 } });
    await store.insertMany([decision]);
    const { rows } = await test.db.query<{ probabilities: number[] }>('SELECT probabilities FROM decisions WHERE id = $1', [decision.id]);
    expect(rows).toEqual([{ probabilities: [0.7000000000000001, 0.1, 0.2] }]);
  });

  it('refuses a distribution without a probability for every candidate', async () => {
    const decision = newDecision({ surface: 'vector', candidates: ['a', 'b', 'c'], probabilities: { a: 0.3, c: 0.7 } });
    await expect(store.insertMany([decision])).rejects.toThrow(/decisions_probabilities_check/);
    expect(await store.findById(decision.id)).toBeUndefined();
  });

  it('finds nothing for an unknown or malformed id', async () => {
    expect(await store.findById(createDecisionId(T0))).toBeUndefined();
    expect(await store.findById('not-a-uuid')).toBeUndefined();
  });

  it('refuses a record whose id does not encode its decision time', async () => {
    const decision = newDecision({ id: createDecisionId(minutes(1)) });
    await expect(store.insertMany([decision])).rejects.toThrow(RangeError);
  });

  it('writes many decisions with one INSERT', async () => {
    const counting = new CountingDatabase(test.db);
    const records = Array.from({ length: 50 }, (_, i) =>
      newDecision({ surface: 'bulk', eventId: i % 2 === 0 ? `bulk-${i}` : null }),
    );
    const results = await new PostgresDecisionStore(counting).insertMany(records);
    expect(results.every((result) => result.status === 'inserted')).toBe(true);
    // Claim the event ids, insert the decisions: two statements for the whole batch.
    expect(counting.statements).toBe(2);
  });

  it('logs one decision when 20 concurrent requests carry the same eventId, and all get it', async () => {
    const records = Array.from({ length: 20 }, () => newDecision({ surface: 'race', eventId: 'same' }));
    const results = (await Promise.all(records.map((record) => store.insertMany([record])))).flat();
    expect(results.filter((result) => result.status === 'inserted')).toHaveLength(1);
    expect(new Set(results.map(decidedId)).size).toBe(1);
    const { rows } = await test.db.query<{ n: number }>(
      `SELECT count(*) AS n FROM decisions WHERE surface = 'race' AND event_id = 'same'`,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('logs one decision for an eventId repeated within a batch, or already logged', async () => {
    const first = newDecision({ surface: 'repeat', eventId: 'e' });
    const [a, b, c] = await store.insertMany([
      first,
      newDecision({ surface: 'repeat', eventId: 'e' }),
      newDecision({ surface: 'repeat', eventId: 'f' }),
    ]);
    expect(a).toEqual({ status: 'inserted', id: first.id });
    expect(b).toMatchObject({ status: 'existing', decision: { id: first.id } });
    expect(c?.status).toBe('inserted');
    const [again] = await store.insertMany([newDecision({ surface: 'repeat', eventId: 'e' })]);
    expect(again).toMatchObject({ status: 'existing', decision: { id: first.id, eventId: 'e' } });
    // The same eventId on another surface is another decision.
    const [other] = await store.insertMany([newDecision({ surface: 'repeat-elsewhere', eventId: 'e' })]);
    expect(other?.status).toBe('inserted');
  });

  it('records a reward once, in its window, and counts the refused attempts', async () => {
    const surface = 'rewards';
    const onTime = newDecision({ surface });
    const late = newDecision({ surface });
    await store.insertMany([onTime, late]);
    const unknownBefore = (await store.rewardJoinCounts(surface)).unknownId;

    const recorded = await store.recordReward(onTime.id, 0.25, minutes(60));
    expect(recorded).toMatchObject({
      status: 'recorded',
      decision: { id: onTime.id, reward: 0.25, rewardSource: 'observed', rewardedAt: minutes(60) },
    });
    expect(await store.recordReward(onTime.id, 1, minutes(61))).toMatchObject({
      status: 'duplicate',
      decision: { reward: 0.25 },
    });
    expect(await store.recordReward(late.id, 1, minutes(60.001))).toMatchObject({
      status: 'late',
      decision: { id: late.id, reward: null },
    });
    expect(await store.recordReward(createDecisionId(T0), 1, minutes(1))).toEqual({ status: 'unknown' });
    expect(await store.recordReward('not-a-uuid', 1, minutes(1))).toEqual({ status: 'unknown' });

    expect(await store.rewardJoinCounts(surface)).toEqual({
      pending: 1,
      rewarded: 1,
      defaulted: 0,
      late: 1,
      duplicate: 1,
      unknownId: unknownBefore + 2,
    });
  });

  it('calls a reward after the default applied late', async () => {
    const decision = newDecision({ surface: 'after-default' });
    await store.insertMany([decision]);
    await store.claimDefaultRewards(minutes(61), 10, { 'after-default': 0 });
    expect(await store.recordReward(decision.id, 1, minutes(62))).toMatchObject({ status: 'late' });
  });

  it('refuses a reward that is not a finite number', async () => {
    await expect(store.recordReward(createDecisionId(T0), Number.NaN, T0)).rejects.toThrow(RangeError);
  });

  it('activates a decision once', async () => {
    const decision = newDecision({ surface: 'activation', deferred: true });
    await store.insertMany([decision]);
    expect(await store.activate(decision.id, minutes(5))).toMatchObject({
      alreadyActive: false,
      decision: { activatedAt: minutes(5) },
    });
    expect(await store.activate(decision.id, minutes(6))).toMatchObject({
      alreadyActive: true,
      decision: { activatedAt: minutes(5) },
    });
    expect(await store.activate(createDecisionId(T0), T0)).toBeUndefined();
  });

  it('claims default rewards for closed, learnable decisions only, once', async () => {
    const surface = 'defaults';
    const due = newDecision({ surface });
    const open = newDecision({ surface, rewardBy: minutes(120) });
    const rewarded = newDecision({ surface });
    const deferred = newDecision({ surface, deferred: true });
    const activated = newDecision({ surface, deferred: true });
    const unconfigured = newDecision({ surface: 'no-default' });
    await store.insertMany([due, open, rewarded, deferred, activated, unconfigured]);
    await store.recordReward(rewarded.id, 1, minutes(30));
    await store.activate(activated.id, minutes(30));

    const claimed = await store.claimDefaultRewards(minutes(61), 100, { [surface]: -0.5 });
    expect(claimed.map((decision) => decision.id).sort()).toEqual([due.id, activated.id].sort());
    expect(claimed[0]).toMatchObject({ reward: -0.5, rewardSource: 'default', rewardedAt: minutes(61) });
    expect(await store.claimDefaultRewards(minutes(62), 100, { [surface]: -0.5 })).toEqual([]);
    expect(await store.rewardJoinCounts(surface)).toMatchObject({ pending: 2, rewarded: 1, defaulted: 2 });
  });

  it('never lets two concurrent sweeps claim the same decision', async () => {
    const surface = 'sweep-race';
    await store.insertMany(Array.from({ length: 200 }, () => newDecision({ surface })));
    const sweeps = await Promise.all(
      Array.from({ length: 4 }, () => store.claimDefaultRewards(minutes(61), 80, { [surface]: 0 })),
    );
    const ids = sweeps.flat().map((decision) => decision.id);
    expect(new Set(ids).size).toBe(ids.length);
    const rest = await store.claimDefaultRewards(minutes(61), 200, { [surface]: 0 });
    expect(ids.length + rest.length).toBe(200);
  });

  it('finds rewarded, learnable decisions not yet learned, and forgets them once marked', async () => {
    const surface = 'learning';
    const learnable = newDecision({ surface });
    const deferred = newDecision({ surface, deferred: true });
    const unrewarded = newDecision({ surface });
    await store.insertMany([learnable, deferred, unrewarded]);
    await store.recordReward(learnable.id, 1, minutes(10));
    await store.recordReward(deferred.id, 1, minutes(10));

    const unlearnedIds = async () =>
      (await store.findUnlearned(1000))
        .filter((decision) => decision.surface === surface)
        .map((decision) => decision.id);
    expect(await unlearnedIds()).toEqual([learnable.id]);
    await store.activate(deferred.id, minutes(20));
    expect((await unlearnedIds()).sort()).toEqual([learnable.id, deferred.id].sort());
    await store.markLearned([learnable.id, deferred.id], minutes(30));
    expect(await unlearnedIds()).toEqual([]);
    expect(await store.findById(learnable.id)).toMatchObject({ learnedAt: minutes(30) });
  });

  it('streams learnable decisions in decision order, one bounded page per query', async () => {
    const surface = 'stream';
    // Two decisions per millisecond, so that ordering must fall back on the id within equal times.
    const records = Array.from({ length: 23 }, (_, i) =>
      newDecision({
        surface,
        decidedAt: new Date(T0.getTime() + Math.floor(i / 2)),
        modelKey: i % 3 === 0 ? 'm0' : 'm1',
      }),
    );
    await store.insertMany(records);
    const skipped = newDecision({ surface, deferred: true });
    await store.insertMany([skipped]);
    await store.claimDefaultRewards(minutes(120), 100, { [surface]: 0 });

    const counting = new CountingDatabase(test.db);
    const streamed: DecisionRecord[] = [];
    for await (const decision of new PostgresDecisionStore(counting).streamLearnable({ surface }, 5)) {
      streamed.push(decision);
    }
    const expectedOrder = [...records].sort(
      (a, b) => a.decidedAt.getTime() - b.decidedAt.getTime() || (a.id < b.id ? -1 : 1),
    );
    expect(streamed.map((decision) => decision.id)).toEqual(expectedOrder.map((record) => record.id));
    expect(counting.statements).toBe(5); // ⌈23 / 5⌉ pages

    const m0: string[] = [];
    for await (const decision of store.streamLearnable({ surface, modelKey: 'm0' }, 2)) m0.push(decision.id);
    expect(m0).toEqual(expectedOrder.filter((record) => record.modelKey === 'm0').map((record) => record.id));
  });

  it('aggregates decisions and rewards per policy arm and per arm', async () => {
    const surface = 'statistics';
    const a1 = newDecision({ surface, policyArm: 'control', arm: 'a' });
    const a2 = newDecision({ surface, policyArm: 'control', arm: 'a' });
    const b1 = newDecision({ surface, policyArm: 'control', arm: 'b' });
    const c1 = newDecision({ surface, policyArm: 'treatment', arm: 'c' });
    await store.insertMany([a1, a2, b1, c1]);
    await store.recordReward(a1.id, 1, minutes(1));
    await store.recordReward(a2.id, 0.5, minutes(1));
    await store.recordReward(b1.id, 0, minutes(1));

    expect(await store.policyArmStatistics(surface)).toEqual([
      {
        policyArm: 'control',
        decisions: 3,
        rewarded: 3,
        meanReward: 0.5,
        arms: [
          { arm: 'a', decisions: 2, rewarded: 2, meanReward: 0.75 },
          { arm: 'b', decisions: 1, rewarded: 1, meanReward: 0 },
        ],
      },
      {
        policyArm: 'treatment',
        decisions: 1,
        rewarded: 0,
        meanReward: null,
        arms: [{ arm: 'c', decisions: 1, rewarded: 0, meanReward: null }],
      },
    ]);
  });
});
