import type { DecisionRecord } from '../decisions/decision-record.js';
import { seededRandom } from '../stats/random.js';
import { forgettingStep } from './forgetting-step.js';
import type { LiveModel } from './model-cache.js';

/**
 * The increment that a rewarded decision adds to its model's statistics. Everything it depends on is in
 * the decision row (context, reward, decision time, seed), so the online path and a rebuild from the log
 * compute the same vector; the seed feeds the Bernoulli trial of a fractional reward.
 * @throws ContextError when the logged context no longer fits the model's schema.
 */
export function decisionIncrement(model: LiveModel, decision: DecisionRecord & { reward: number }): Float64Array {
  const context = model.encoder.encode(decision.context);
  const random = seededRandom(`${decision.seed}:reward`);
  return model.policy.learner.increment(context, decision.reward, random, forgettingStep(decision.decidedAt));
}
