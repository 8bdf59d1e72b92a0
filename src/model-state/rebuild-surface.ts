import type { DecisionStore } from '../decisions/decision-store.js';
import type { ModelCache } from './model-cache.js';
import type { ModelStateStore } from './model-state-store.js';
import { restoreModel } from './rebuild-model.js';

export interface RebuiltPolicyArm {
  policy: string;
  model: string;
  decisions: number;
}

/**
 * Replaces the statistics of every model of a surface with those rebuilt from the decision log, then
 * reloads them into this replica. Rewards learned while it runs may be counted twice or lost, as with
 * `npm run rebuild -- --write`: pause reward traffic to the surface first.
 */
export async function rebuildSurface(
  surfaceId: string,
  deps: { models: ModelCache; store: Pick<DecisionStore, 'streamLearnable' | 'markLearned'>; modelStore: ModelStateStore; now: () => Date },
): Promise<RebuiltPolicyArm[]> {
  const rebuilt: RebuiltPolicyArm[] = [];
  for (const model of deps.models.all().filter((candidate) => candidate.surface.config.id === surfaceId)) {
    const { decisions } = await restoreModel(model, deps.store, deps.modelStore, deps.now());
    rebuilt.push({ policy: model.policyArmId, model: model.key, decisions });
  }
  await deps.models.refresh();
  return rebuilt;
}
