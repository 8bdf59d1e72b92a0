import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChooseResponse } from '../../src/api/api-types.js';
import { PostgresDecisionStore } from '../../src/decisions/postgres-decision-store.js';
import { ModelRecovery } from '../../src/model-state/model-recovery.js';
import { maxRelativeDifference, rebuildModel } from '../../src/model-state/rebuild-model.js';
import { RedisModelStateStore } from '../../src/model-state/redis-model-state-store.js';
import { requirePostgres } from '../helpers/test-database.js';
import { deleteRedisKeys, requireRedis, startTestService, type TestService } from '../helpers/test-service.js';

const HOME_CONTEXT = { hour_of_day: 9, device: 'ios', premium: false };
const RESTORED = 'model state was lost; restored it from the decision log';

const shared = requirePostgres() !== undefined && requireRedis() !== undefined;

/** Two replicas' recovery loops noticing that Redis lost every model; the brief's fault suite does it under load. */
describe.runIf(shared)('model recovery after Redis lost its data', () => {
  let service: TestService;
  const stores: RedisModelStateStore[] = [];
  beforeAll(async () => {
    service = await startTestService({ backend: 'postgres' });
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await service?.close();
  });

  function replicaRecovery(messages: string[]): ModelRecovery {
    const modelStore = new RedisModelStateStore(service.redisUrl!, service.redisPrefix!);
    stores.push(modelStore);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        messages.push(String((JSON.parse(chunk.toString()) as { msg: string }).msg));
        done();
      },
    });
    return new ModelRecovery({
      models: service.models,
      modelStore,
      store: new PostgresDecisionStore(service.database),
      now: () => new Date(),
      logger: pino({ level: 'warn' }, sink),
    });
  }

  it('restores each lost model once, equal to the fold over the log, and learns nothing twice', async () => {
    const decisions: ChooseResponse[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await request(service.url).post('/choose').set(service.authHeaders).send({ surface: 'home', unit: `listener-${i}`, context: HOME_CONTEXT }).expect(200);
      decisions.push(response.body as ChooseResponse);
    }
    for (const [i, decision] of decisions.entries()) {
      await request(service.url).post('/reward').set(service.authHeaders).send({ decisionId: decision.decisionId, reward: i % 3 === 0 ? 1 : 0 }).expect(200);
    }
    await service.models.refresh();
    const loaded = new Map(service.models.all().map((model) => [model.key, model.version]));

    await deleteRedisKeys(service.redisUrl!, service.redisPrefix!);
    const messages: string[] = [];
    await Promise.all([replicaRecovery(messages).refresh(), replicaRecovery(messages).refresh()]);
    const learnedModels = new Set(decisions.map((decision) => decision.policy));
    // Each lost model once: the lock leaves the other replica nothing to do (it may find it whole or still locked).
    expect(messages.filter((message) => message === RESTORED)).toHaveLength(learnedModels.size);

    const store = new PostgresDecisionStore(service.database);
    for (const model of service.models.all().filter((candidate) => candidate.surface.config.id === 'home')) {
      const rebuilt = await rebuildModel(model, store);
      const live = await service.modelStore.read(model.key, model.policy.learner.statisticsLength);
      expect(maxRelativeDifference(rebuilt.arms, live.arms), model.key).toBeLessThanOrEqual(1e-9);
      expect(live.version, model.key).toBe(rebuilt.decisions);
      expect(live.version, model.key).toBeGreaterThanOrEqual(loaded.get(model.key) ?? 0);
    }
    // The restore marked every folded decision in Redis and in the log: a retry applies nothing.
    expect(await service.sweeper.sweep()).toEqual({ defaulted: 0, retried: 0 });
    const model = service.models.get('home', decisions[0]!.policy);
    const before = await service.modelStore.version(model.key);
    const increment = new Float64Array(model.policy.learner.statisticsLength).fill(1);
    expect(await service.modelStore.applyIncrement(model.key, decisions[0]!.decisionId, decisions[0]!.arm, increment)).toBe(false);
    expect(await service.modelStore.version(model.key)).toBe(before);
  });
});
