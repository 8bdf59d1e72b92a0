import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChooseResponse } from '../../src/api/api-types.js';
import { requirePostgres } from '../helpers/test-database.js';
import { requireRedis, startTestService, surfaceModelVersions, testClock, type TestService } from '../helpers/test-service.js';

/**
 * Two replicas of the service in one process, on two ports, sharing one Postgres database and one Redis
 * key prefix. Without DATABASE_URL and REDIS_URL this is skipped locally; in CI both helpers throw.
 */
const shared = requirePostgres() !== undefined && requireRedis() !== undefined;

const HOME_CONTEXT = { hour_of_day: 20, device: 'android' };
const HOME_WINDOW_MS = 1_800_000;

describe.runIf(shared)('two replicas sharing Postgres and Redis', () => {
  const clock = testClock('2026-06-01T12:00:00.000Z');
  let a: TestService;
  let b: TestService;
  beforeAll(async () => {
    a = await startTestService({ backend: 'postgres', now: clock.now });
    b = await startTestService({ backend: 'postgres', now: clock.now, databaseUrl: a.databaseUrl, redisPrefix: a.redisPrefix });
  });
  afterAll(async () => {
    // b first: a owns the database and the Redis keys and removes them.
    await b?.close();
    await a?.close();
  });

  async function choose(replica: TestService, unit: string): Promise<ChooseResponse> {
    return (await request(replica.url).post('/choose').set(replica.authHeaders).send({ surface: 'home', unit, context: HOME_CONTEXT }).expect(200)).body as ChooseResponse;
  }

  const decisionCount = async (replica: TestService) => {
    const body = (await request(replica.url).get('/surfaces/home').set(replica.authHeaders).expect(200)).body as { statistics: { policyArms: Array<{ decisions: number; rewarded: number }> } };
    return body.statistics.policyArms.reduce((sum, row) => ({ decisions: sum.decisions + row.decisions, rewarded: sum.rewarded + row.rewarded }), { decisions: 0, rewarded: 0 });
  };

  it('learns on one replica what the other decided, and both see the new model after a refresh', async () => {
    const decisions = await Promise.all(Array.from({ length: 12 }, (_, i) => choose(a, `listener-${i}`)));
    const before = await surfaceModelVersions(a, 'home');
    for (const { decisionId } of decisions) {
      await request(b.url).post('/reward').set(b.authHeaders).send({ decisionId, reward: 1 }).expect(200, { decisionId, reward: 1, duplicate: false, learned: true });
    }
    expect(await surfaceModelVersions(a, 'home')).toBe(before + decisions.length);
    await a.models.refresh();
    for (const policy of new Set(decisions.map((decision) => decision.policy))) {
      const model = a.models.get('home', policy);
      expect(model.version).toBe(await a.modelStore.version(model.key));
      // The refreshed cache now holds the statistics that b taught: the same vectors as in Redis.
      const snapshot = await a.modelStore.read(model.key, model.policy.learner.statisticsLength);
      for (const [arm, statistics] of snapshot.arms) expect(model.policy.learner.statistics(arm)).toEqual(statistics);
    }
    // a's next decisions carry the version that b's rewards produced.
    const next = await choose(a, 'listener-0');
    expect(next.modelVersion).toBe(a.models.get('home', next.policy).version);
    expect(await decisionCount(a)).toEqual(await decisionCount(b));
  });

  it('learns a reward posted to both replicas at once exactly once', async () => {
    for (let i = 0; i < 5; i++) {
      const decision = await choose(a, `duplicate-${i}`);
      const key = a.models.get('home', decision.policy).key;
      const version = await a.modelStore.version(key);
      const post = (replica: TestService) => request(replica.url).post('/reward').set(replica.authHeaders).send({ decisionId: decision.decisionId, reward: 1 }).expect(200);
      const responses = await Promise.all([post(a), post(b), post(a), post(b)]);
      expect(responses.filter((response) => response.body.duplicate === false)).toHaveLength(1);
      expect(await b.modelStore.version(key)).toBe(version + 1);
    }
  });

  it('gives expired decisions their default reward once when both replicas sweep at the same time', async () => {
    // Close whatever earlier tests left open, so that only this test's decisions move the models.
    clock.advance(HOME_WINDOW_MS + 1);
    await a.sweeper.sweep();
    const decisions = [
      ...(await Promise.all(Array.from({ length: 30 }, (_, i) => choose(a, `expiring-a-${i}`)))),
      ...(await Promise.all(Array.from({ length: 30 }, (_, i) => choose(b, `expiring-b-${i}`)))),
    ];
    const before = await surfaceModelVersions(a, 'home');
    clock.advance(HOME_WINDOW_MS + 1);
    const sweeps = await Promise.all([a.sweeper.sweep(), b.sweeper.sweep(), a.sweeper.sweep(), b.sweeper.sweep()]);
    expect(sweeps.reduce((sum, sweep) => sum + sweep.defaulted, 0)).toBe(decisions.length);
    expect(await surfaceModelVersions(b, 'home')).toBe(before + decisions.length);
    expect(await Promise.all([a.sweeper.sweep(), b.sweeper.sweep()])).toEqual([
      { defaulted: 0, retried: 0 },
      { defaulted: 0, retried: 0 },
    ]);
    expect(await surfaceModelVersions(a, 'home')).toBe(before + decisions.length);
  });
});
