import { meanEstimator, type Estimator } from './estimator.js';

/**
 * On-policy value of the logging policy itself: V̂ = (1/n) Σᵢ rᵢ, with rᵢ the reward of round i and
 * n the number of rounds.
 * Unbiased for the logging policy's value, and for nothing else: it ignores the target probabilities.
 * Useful as the baseline the off-policy estimates are compared with.
 * Reference: the mean of the observed rewards, the ground truth Open Bandit Pipeline computes for an
 * on-policy run (Saito et al., "Open Bandit Dataset and Pipeline", 2021, `calc_ground_truth_policy_value`).
 */
export function onPolicy(): Estimator {
  return meanEstimator({
    name: 'on-policy',
    kind: 'on-policy',
    requiredFields: [],
    term: (round) => round.reward,
    effectiveWeight: () => 1,
  });
}
