import type { Logger } from 'pino';
import type { DecisionRecord } from '../decisions/decision-record.js';
import type { DecisionStore } from '../decisions/decision-store.js';
import { decisionIncrement } from '../model-state/decision-increment.js';
import type { ModelCache } from '../model-state/model-cache.js';
import type { ModelStateStore } from '../model-state/model-state-store.js';

export interface DecisionLearnerDeps {
  models: ModelCache;
  modelStore: ModelStateStore;
  store: Pick<DecisionStore, 'markLearned'>;
  now: () => Date;
  logger: Logger;
  onLearned?: (decision: DecisionRecord) => void;
}

/**
 * Teaches a rewarded decision to the shared model. The model store applies each decision's increment
 * at most once (keyed by the decision id), so this may be retried freely: after a crash, by the sweeper,
 * or by two replicas at once. `learned_at` in the log only tells the sweeper what is left to retry.
 */
export class DecisionLearner {
  constructor(private readonly deps: DecisionLearnerDeps) {}

  /** Learns the decision; true when this call applied it. @throws when the model store fails. */
  async learn(decision: DecisionRecord): Promise<boolean> {
    if (decision.reward === null) throw new RangeError(`decision ${decision.id} has no reward to learn`);
    const model = this.deps.models.byKey(decision.modelKey);
    let applied = false;
    // A decision of a model this configuration no longer serves (a changed feature schema or learner)
    // has nothing to teach; it is marked so the sweeper stops returning it.
    if (model) {
      const increment = decisionIncrement(model, { ...decision, reward: decision.reward });
      applied = await this.deps.modelStore.applyIncrement(model.key, decision.id, decision.arm, increment);
      if (applied) this.deps.onLearned?.(decision);
    }
    await this.deps.store.markLearned([decision.id], this.deps.now());
    return applied;
  }

  /** Learns the decision, logging instead of throwing: the reward is recorded and the sweeper retries. */
  async tryLearn(decision: DecisionRecord): Promise<void> {
    try {
      await this.learn(decision);
    } catch (error) {
      this.deps.logger.warn({ err: error, decisionId: decision.id }, 'learning deferred to the sweeper');
    }
  }
}
