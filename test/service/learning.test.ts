import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChooseResponse } from '../../src/api/api-types.js';
import { PostgresDecisionStore } from '../../src/decisions/postgres-decision-store.js';
import {
  requireRedis,
  serviceBackends,
  startTestService,
  surfaceModelVersions,
  testClock,
  testPolicies,
  TEST_WINDOW_MS,
  type TestService,
} from '../helpers/test-service.js';

const backends = serviceBackends();

describe.each(backends)('learning from default and retried rewards on the %s backend', (backend) => {
  const clock = testClock('2026-06-01T12:00:00.000Z');
  let policiesDir: string;
  let service: TestService;
  let replica: TestService | undefined;
  beforeAll(async () => {
    policiesDir = await testPolicies(await mkdtemp(join(tmpdir(), 'limelight-learning-')));
    service = await startTestService({ backend, policiesDir, now: clock.now });
    // A second replica on the same database and Redis prefix, where there is one to share.
    if (service.databaseUrl && service.redisPrefix) {
      replica = await startTestService({
        backend,
        policiesDir,
        now: clock.now,
        databaseUrl: service.databaseUrl,
        redisPrefix: service.redisPrefix,
      });
    }
  });
  afterAll(async () => {
    await replica?.close();
    await service.close();
    await rm(policiesDir, { recursive: true, force: true });
  });

  async function decide(count: number, target = service): Promise<ChooseResponse[]> {
    const responses = [];
    for (let i = 0; i < count; i++) {
      const response = await request(target.url).post('/choose').set(target.authHeaders).send({ surface: 'test', context: { x: i / count } }).expect(200);
      responses.push(response.body as ChooseResponse);
    }
    return responses;
  }

  const logged = async (id: string) => (await request(service.url).get(`/decisions/${id}`).set(service.authHeaders).expect(200)).body as Record<string, unknown>;

  it('gives every decision whose window closed the default reward, learned once however often the sweep runs', async () => {
    const before = await surfaceModelVersions(service, 'test');
    const decisions = await decide(6);
    // The window is closed from rewardBy on (exclusive): a reward at rewardBy is still accepted, so no default yet.
    clock.advance(TEST_WINDOW_MS);
    expect(await service.sweeper.sweep()).toEqual({ defaulted: 0, retried: 0 });
    clock.advance(1);
    const [first, second] = await Promise.all([service.sweeper.sweep(), service.sweeper.sweep()]);
    expect(first!.defaulted + second!.defaulted).toBe(6);
    expect(await service.sweeper.sweep()).toEqual({ defaulted: 0, retried: 0 });
    expect(await surfaceModelVersions(service, 'test')).toBe(before + 6);
    for (const { decisionId } of decisions) expect(await logged(decisionId)).toMatchObject({ reward: 0, rewardSource: 'default' });
  });

  it('learns a reward that was recorded but not learned exactly once, on the next sweep', async () => {
    const store = new PostgresDecisionStore(service.database);
    const [decision] = await decide(1);
    const before = await surfaceModelVersions(service, 'test');
    // What /reward leaves behind when the model store fails after the reward is recorded.
    expect(await store.recordReward(decision!.decisionId, 1, clock.now())).toMatchObject({ status: 'recorded' });
    expect(await surfaceModelVersions(service, 'test')).toBe(before);
    expect(await service.sweeper.sweep()).toEqual({ defaulted: 0, retried: 1 });
    expect(await service.sweeper.sweep()).toEqual({ defaulted: 0, retried: 0 });
    expect(await surfaceModelVersions(service, 'test')).toBe(before + 1);
    const duplicate = await request(service.url).post('/reward').set(service.authHeaders).send({ decisionId: decision!.decisionId, reward: 0 }).expect(200);
    expect(duplicate.body).toMatchObject({ reward: 1, duplicate: true });
    expect(await surfaceModelVersions(service, 'test')).toBe(before + 1);
  });

  it.runIf(backend === 'postgres' && requireRedis() !== undefined)('learns a reward whose increment Redis refused, once Redis works again', async () => {
    const [decision] = await decide(1);
    const model = service.models.get('test', decision!.policy);
    const statisticsKey = `${service.redisPrefix}:{${model.key}}:statistics`;
    const redis = new Redis(service.redisUrl!);
    try {
      // A key of the wrong type makes the increment script fail in HINCRBYFLOAT: the store errs mid-update.
      await redis.set(statisticsKey, 'not a hash');
      await request(service.url).post('/reward').set(service.authHeaders).send({ decisionId: decision!.decisionId, reward: 1 }).expect(200);
      await redis.del(statisticsKey);
    } finally {
      await redis.quit();
    }
    expect(await service.sweeper.sweep()).toEqual({ defaulted: 0, retried: 1 });
    expect(await service.sweeper.sweep()).toEqual({ defaulted: 0, retried: 0 });
    // Deleting the key reset the version to 0; the one retried increment must be in it.
    expect(await service.modelStore.version(model.key)).toBe(1);
  });

  // Replicas share model state only through Redis; requireRedis() throws in CI when it is missing.
  it.runIf(backend === 'postgres' && requireRedis() !== undefined)('learns unlearned rewards once when two replicas retry them at the same time', async () => {
    if (!replica) throw new Error('no replica was started');
    const store = new PostgresDecisionStore(service.database);
    const decisions = [...(await decide(10, service)), ...(await decide(10, replica))];
    const before = await surfaceModelVersions(service, 'test');
    for (const [i, { decisionId }] of decisions.entries()) await store.recordReward(decisionId, i % 2, clock.now());
    // Both replicas find the same unlearned rows; the model store's per-decision marker settles it.
    const sweeps = await Promise.all([service.sweeper.sweep(), replica.sweeper.sweep(), service.sweeper.sweep(), replica.sweeper.sweep()]);
    expect(sweeps.every((sweep) => sweep.defaulted === 0)).toBe(true);
    expect(await surfaceModelVersions(service, 'test')).toBe(before + decisions.length);
    expect(await surfaceModelVersions(replica, 'test')).toBe(before + decisions.length);
    expect(await Promise.all([service.sweeper.sweep(), replica.sweeper.sweep()])).toEqual([
      { defaulted: 0, retried: 0 },
      { defaulted: 0, retried: 0 },
    ]);
  });
});
