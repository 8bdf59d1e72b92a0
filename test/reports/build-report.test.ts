import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaViolations } from '../../src/api/schema-validator.js';
import { PostgresDecisionStore } from '../../src/decisions/postgres-decision-store.js';
import { buildReport } from '../../src/reports/build-report.js';
import { twoProportionZTest } from '../../src/stats/two-proportion-z-test.js';
import { buildSurface, type Surface } from '../../src/surfaces/surface.js';
import { newDecision } from '../decisions/new-decision.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/test-database.js';

const SURFACE: Surface = buildSurface(
  {
    id: 'home',
    name: 'Home',
    randomization: 'request',
    arms: [
      { id: 'a', kind: 'music' },
      { id: 'b', kind: 'podcast' },
      { id: 'c', kind: 'video' },
    ],
    features: [{ name: 'x', type: 'numeric' }],
    reward: { type: 'binary', attributionWindowSeconds: 3600, default: 0 },
    policyArms: [
      { id: 'linucb', share: 0.45, learner: { kind: 'linucb', alpha: 1 } },
      { id: 'thompson', share: 0.45, learner: { kind: 'thompson' } },
      { id: 'control', share: 0.1, learner: { kind: 'uniform' } },
    ],
  },
  'test surface',
);

const DAY_1 = Date.parse('2030-01-10T00:00:00Z');
const DAY_2 = Date.parse('2030-01-11T00:00:00Z');
const HOUR = 3_600_000;
const UNIFORM = { a: 1 / 3, b: 1 / 3, c: 1 / 3 };

interface Batch {
  policyArm: string;
  learner: 'linucb' | 'thompson' | 'uniform';
  day: number;
  arm: string;
  /** One reward per decision; null leaves it unrewarded. */
  rewards: Array<number | null>;
  deferred?: boolean;
}

/** Inserts one decision per reward, minutes apart from 10:00 on `day`, and records the rewards. */
async function insert(store: PostgresDecisionStore, batch: Batch, offsetMinutes = 0): Promise<void> {
  const decisions = batch.rewards.map((_, i) =>
    newDecision({
      decidedAt: new Date(batch.day + 10 * HOUR + (offsetMinutes + i) * 60_000),
      surface: 'home',
      policyArm: batch.policyArm,
      learner: batch.learner,
      modelKey: `home/${batch.policyArm}`,
      context: { x: i % 5 },
      candidates: ['a', 'b', 'c'],
      probabilities: UNIFORM,
      arm: batch.arm,
      propensity: 1 / 3,
      deferred: batch.deferred ?? false,
    }),
  );
  await store.insertMany(decisions);
  for (const [i, reward] of batch.rewards.entries()) {
    if (reward !== null) await store.recordReward(decisions[i]!.id, reward, decisions[i]!.decidedAt);
  }
}

const ones = (n: number) => new Array<number>(n).fill(1);
const zeros = (n: number) => new Array<number>(n).fill(0);

describe.each(testBackends())('buildReport on %s', (backend) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    const store = new PostgresDecisionStore(test.db);
    // linucb: 90 decisions, 80 rewarded, 40 ones (day 1: 20 of 40 rewarded on arm a; day 2: 20 of 40 on a, b).
    await insert(store, { policyArm: 'linucb', learner: 'linucb', day: DAY_1, arm: 'a', rewards: [...ones(20), ...zeros(20), ...new Array(5).fill(null)] });
    await insert(store, { policyArm: 'linucb', learner: 'linucb', day: DAY_2, arm: 'a', rewards: [...ones(15), ...zeros(10)] });
    await insert(store, { policyArm: 'linucb', learner: 'linucb', day: DAY_2, arm: 'b', rewards: [...ones(5), ...zeros(10), ...new Array(5).fill(null)] }, 30);
    // thompson: 90 decisions, all rewarded, 27 ones, on day 1.
    await insert(store, { policyArm: 'thompson', learner: 'thompson', day: DAY_1, arm: 'b', rewards: [...ones(27), ...zeros(63)] }, 60);
    // control: 20 decisions, all rewarded, 5 ones, on day 2; and 10 deferred, never activated, which do not count.
    await insert(store, { policyArm: 'control', learner: 'uniform', day: DAY_2, arm: 'c', rewards: [...ones(5), ...zeros(15)] }, 120);
    await insert(store, { policyArm: 'control', learner: 'uniform', day: DAY_2, arm: 'c', rewards: ones(10), deferred: true }, 150);
  });

  afterAll(async () => {
    await test.drop();
  });

  const report = (query: { from?: Date; to?: Date; leaderboard?: boolean } = {}) =>
    buildReport(test.db, SURFACE, { leaderboard: false, ...query, now: new Date('2030-01-12T00:00:00Z') });

  it('counts learnable decisions and rewards per policy arm, in configuration order', async () => {
    const { policyArms, controlPolicyArm, test: testName } = await report();
    expect(controlPolicyArm).toBe('control');
    expect(testName).toBe('two-proportion-z');
    expect(policyArms.map(({ policyArm, decisions, rewarded, observed }) => ({ policyArm, decisions, rewarded, observed }))).toEqual([
      { policyArm: 'linucb', decisions: 90, rewarded: 80, observed: 80 },
      { policyArm: 'thompson', decisions: 90, rewarded: 90, observed: 90 },
      { policyArm: 'control', decisions: 20, rewarded: 20, observed: 20 },
    ]);
    expect(policyArms.map((arm) => arm.meanReward.estimate)).toEqual([0.5, 0.3, 0.25]);
    expect(policyArms.map((arm) => arm.observedShare)).toEqual([0.45, 0.45, 0.1]);
    expect(policyArms[0]!.firstDecisionAt).toBe('2030-01-10T10:00:00.000Z');
  });

  it('compares each policy arm with the control by the two-proportion z-test', async () => {
    const [linucb, , control] = (await report()).policyArms;
    const expected = twoProportionZTest(40, 80, 5, 20);
    expect(control!.comparison).toBeNull();
    expect(linucb!.comparison).toMatchObject({ test: 'two-proportion-z', statistic: expected.statistic, pValue: expected.pValue });
    expect(linucb!.comparison!.relativeLift.estimate).toBeCloseTo(0.5 / 0.25 - 1, 12);
    expect(linucb!.comparison!.difference.estimate).toBeCloseTo(0.25, 12);
    const { meanReward, confidenceSequence } = linucb!;
    expect(meanReward.low! < 0.5 && meanReward.high! > 0.5).toBe(true);
    expect(confidenceSequence.high! - confidenceSequence.low!).toBeGreaterThan(meanReward.high! - meanReward.low!);
  });

  it('breaks a policy arm down by arm', async () => {
    const [linucb] = (await report()).policyArms;
    expect(linucb!.arms).toEqual([
      { arm: 'a', decisions: 70, share: 70 / 90, rewarded: 65, meanReward: 35 / 65 },
      { arm: 'b', decisions: 20, share: 20 / 90, rewarded: 15, meanReward: 5 / 15 },
    ]);
  });

  it('gives daily and cumulative mean reward per policy arm', async () => {
    const { timeSeries } = await report();
    expect(timeSeries.days).toEqual(['2030-01-10', '2030-01-11']);
    expect(timeSeries.policyArms).toEqual([
      { policyArm: 'linucb', rewarded: [40, 40], meanReward: [0.5, 0.5], cumulativeMeanReward: [0.5, 0.5] },
      { policyArm: 'thompson', rewarded: [90, 0], meanReward: [0.3, null], cumulativeMeanReward: [0.3, 0.3] },
      { policyArm: 'control', rewarded: [0, 20], meanReward: [null, 0.25], cumulativeMeanReward: [null, 0.25] },
    ]);
  });

  it('keeps to the window [from, to)', async () => {
    const { policyArms, timeSeries, from } = await report({ from: new Date(DAY_2), to: new Date(DAY_2 + 24 * HOUR) });
    expect(from).toBe('2030-01-11T00:00:00.000Z');
    expect(timeSeries.days).toEqual(['2030-01-11']);
    expect(policyArms.map((arm) => arm.decisions)).toEqual([45, 0, 20]);
    expect(policyArms[1]!.meanReward.estimate).toBeNull();
  });

  it('passes the split as configured and flags a skewed one', async () => {
    const balanced = await report();
    expect(balanced.sampleRatioMismatch).toMatchObject({ statistic: 0, degreesOfFreedom: 2, pValue: 1, flagged: false });
    // Day 2 alone: 45 / 0 / 20 against 29.25 / 29.25 / 6.5 — far off.
    const skewed = await report({ from: new Date(DAY_2) });
    expect(skewed.sampleRatioMismatch.flagged).toBe(true);
    expect(skewed.sampleRatioMismatch.pValue!).toBeLessThan(0.001);
  });

  it('values every policy config on the control traffic, and conforms to the Report schema', async () => {
    const full = await report({ leaderboard: true });
    expect(full.leaderboard).toMatchObject({ policyArm: 'control', rounds: 20, mode: 'replay' });
    expect(full.leaderboard!.entries.map((entry) => entry.policy)).toEqual(['home/linucb', 'home/thompson', 'home/control']);
    expect(schemaViolations('Report', JSON.parse(JSON.stringify(full)))).toEqual([]);
  });
});
