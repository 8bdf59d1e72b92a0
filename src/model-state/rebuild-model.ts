import type { DecisionStore } from '../decisions/decision-store.js';
import { ArmStatistics } from '../learners/arm-statistics.js';
import { decisionIncrement } from './decision-increment.js';
import type { LiveModel } from './model-cache.js';
import type { ModelStateStore } from './model-state-store.js';

const BATCH = 1_000;

export interface RebuiltModel {
  arms: Map<string, Float64Array>;
  /** Rewarded, learnable decisions folded in. */
  decisions: number;
  /** Their ids, so that a rebuild that replaces the store can mark them learned. */
  decisionIds: string[];
}

/**
 * Recomputes a model's statistics from the decision log alone: the sum, over every rewarded and learnable
 * decision logged for the model, of the increment that the online path applies for it. Postgres is the
 * source of truth; this is what makes the shared model state rebuildable.
 */
export async function rebuildModel(model: LiveModel, store: Pick<DecisionStore, 'streamLearnable'>): Promise<RebuiltModel> {
  const table = new ArmStatistics(model.policy.learner.statisticsLength);
  const decisionIds: string[] = [];
  for await (const decision of store.streamLearnable({ surface: model.surface.config.id, modelKey: model.key }, BATCH)) {
    table.add(decision.arm, decisionIncrement(model, { ...decision, reward: decision.reward! }));
    decisionIds.push(decision.id);
  }
  return {
    arms: new Map(table.arms().map((arm) => [arm, table.get(arm)])),
    decisions: decisionIds.length,
    decisionIds,
  };
}

/**
 * The largest difference between two sets of arm statistics, relative to the largest magnitude in
 * either (0 when both are empty). Arms present on one side only count against zeros.
 */
export function maxRelativeDifference(left: ReadonlyMap<string, Float64Array>, right: ReadonlyMap<string, Float64Array>): number {
  let difference = 0;
  let scale = 0;
  for (const arm of new Set([...left.keys(), ...right.keys()])) {
    const a = left.get(arm);
    const b = right.get(arm);
    const length = Math.max(a?.length ?? 0, b?.length ?? 0);
    for (let i = 0; i < length; i++) {
      const x = a?.[i] ?? 0;
      const y = b?.[i] ?? 0;
      difference = Math.max(difference, Math.abs(x - y));
      scale = Math.max(scale, Math.abs(x), Math.abs(y));
    }
  }
  return scale === 0 ? 0 : difference / scale;
}

/**
 * Replaces a model's statistics in the store with those rebuilt from the log, and marks the folded
 * decisions learned so that the sweeper does not apply them a second time. Used at start-up by the
 * embedded (in-process) model store, whose state does not outlive the process, and by `rebuild --write`.
 */
export async function restoreModel(
  model: LiveModel,
  store: Pick<DecisionStore, 'streamLearnable' | 'markLearned'>,
  modelStore: ModelStateStore,
  now: Date,
): Promise<RebuiltModel> {
  const rebuilt = await rebuildModel(model, store);
  await modelStore.replace(model.key, rebuilt.arms, rebuilt.decisions);
  await store.markLearned(rebuilt.decisionIds, now);
  return rebuilt;
}
