import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../src/decisions/decision-record.js';
import { InMemoryModelStateStore } from '../../src/model-state/in-memory-model-state-store.js';
import { ModelCache } from '../../src/model-state/model-cache.js';
import { DecisionLearner } from '../../src/rewards/decision-learner.js';
import { loadSurfaces } from '../../src/surfaces/load-surfaces.js';
import { newDecision } from '../decisions/new-decision.js';
import { SHIPPED_POLICIES_DIR } from '../helpers/test-service.js';

async function learnerOnHome() {
  const modelStore = new InMemoryModelStateStore();
  const models = new ModelCache(modelStore, (await loadSurfaces(SHIPPED_POLICIES_DIR)).list());
  const model = models.get('home', 'linucb');
  const marked: string[][] = [];
  const learner = new DecisionLearner({
    models,
    modelStore,
    store: { markLearned: async (ids) => void marked.push([...ids]) },
    now: () => new Date('2030-01-10T13:00:00.000Z'),
    logger: pino({ level: 'silent' }),
  });
  const decision = (i: number): DecisionRecord => ({
    ...newDecision({ surface: 'home', policyArm: 'linucb', learner: 'linucb', modelKey: model.key, context: { hour_of_day: i % 24 }, arm: 'podcast:morning-briefing' }),
    activatedAt: null,
    reward: i % 3 === 0 ? 1 : 0,
    rewardSource: 'default',
    rewardedAt: new Date('2030-01-10T13:00:00.000Z'),
    learnedAt: null,
  });
  return { learner, modelStore, model, marked, decision };
}

describe('DecisionLearner.learnAll', () => {
  it('applies a batch once each and marks it learned in one statement', async () => {
    const { learner, modelStore, model, marked, decision } = await learnerOnHome();
    const batch = Array.from({ length: 50 }, (_, i) => decision(i));

    expect(await learner.learnAll(batch)).toBe(50);
    expect(marked).toEqual([batch.map((d) => d.id)]);
    expect(await modelStore.version(model.key)).toBe(50);

    // A retry of the same batch (the sweeper after a crash) teaches nothing twice.
    expect(await learner.learnAll(batch)).toBe(0);
    expect(await modelStore.version(model.key)).toBe(50);
  });

  it('leaves a batch unmarked when the model store fails, so the sweeper retries it', async () => {
    const { learner, modelStore, marked, decision } = await learnerOnHome();
    modelStore.applyIncrement = async () => {
      throw new Error('Redis is not connected (reconnecting)');
    };
    await expect(learner.learnAll([decision(1), decision(2)])).rejects.toThrow('Redis is not connected');
    expect(marked).toEqual([]);
  });
});
