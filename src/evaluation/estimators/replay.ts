import { ratioEstimator, type Estimator } from './estimator.js';

/**
 * Replay method (Li et al. 2011).
 * V̂ = Σᵢ 1{π_e(xᵢ) = aᵢ} rᵢ / Σᵢ 1{π_e(xᵢ) = aᵢ}, where 1{π_e(xᵢ) = aᵢ} is 1 when the target policy,
 * run along the log, chose the logged action aᵢ (the round's `targetProbability` is then 1, otherwise 0)
 * and rᵢ is the reward.
 * Unbiased only when the log was collected by uniform random logging (then every action is matched with
 * the same probability 1/K); under non-uniform logging it over-represents actions the logging policy
 * favours, and IPS or DR should be used instead. Uses about n/K of the rounds. NaN when nothing matched.
 * Agrees with Open Bandit Pipeline `ReplayMethod` (per-round values 1{match}·rᵢ / mean(1{match});
 * st-tech/zr-obp, obp/ope/estimators.py), except that OBP returns 0 when no round matched.
 * Reference: Li, Chu, Langford & Wang, "Unbiased Offline Evaluation of Contextual-bandit-based News
 * Article Recommendation Algorithms", WSDM 2011.
 */
export function replay(): Estimator {
  return ratioEstimator({
    name: 'replay',
    kind: 'replay',
    numerator: (round) => (round.targetProbability === 1 ? round.reward : 0),
    denominator: (round) => (round.targetProbability === 1 ? 1 : 0),
  });
}
