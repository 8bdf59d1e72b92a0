import { meanEstimator, type Estimator } from './estimator.js';

/**
 * Switch doubly robust (Switch-DR) with threshold λ.
 * V̂ = (1/n) Σᵢ [q̂(xᵢ, π_e) + 1{wᵢ ≤ λ} wᵢ (rᵢ − q̂(xᵢ, aᵢ))] (symbols as in {@link dr}), λ ≥ 0.
 * Rounds whose weight exceeds λ fall back to the model alone (DM), which caps the variance at the cost
 * of DM's bias on those rounds; λ = ∞ is DR, λ = 0 is DM (rounds with w = 0 add nothing either way).
 * The comparison is w ≤ λ, inclusive, as in Open Bandit Pipeline `SwitchDoublyRobust`
 * (`switch_indicator = iw <= lambda_`; st-tech/zr-obp, obp/ope/estimators.py).
 * References: Wang, Agarwal & Dudík, "Optimal and Adaptive Off-policy Evaluation in Contextual
 * Bandits", 2017; Su, Dimakopoulou, Krishnamurthy & Dudík, "Doubly Robust Off-Policy Evaluation with
 * Shrinkage", 2020.
 * @param threshold λ, in [0, ∞]; checked by {@link createEstimator}.
 */
export function switchDr(threshold: number): Estimator {
  return meanEstimator({
    name: 'switch-dr',
    parameter: threshold,
    kind: 'doubly-robust',
    requiredFields: ['directValue', 'loggedActionPrediction'],
    term: (round, weight) => (round.directValue as number) + (weight <= threshold ? weight * (round.reward - (round.loggedActionPrediction as number)) : 0),
    effectiveWeight: (_round, weight) => (weight <= threshold ? weight : 0),
  });
}
