import { meanEstimator, type Estimator } from './estimator.js';

/**
 * Doubly robust (DR).
 * V̂ = (1/n) Σᵢ [q̂(xᵢ, π_e) + wᵢ (rᵢ − q̂(xᵢ, aᵢ))], wᵢ = π_e(aᵢ|xᵢ) / π_b(aᵢ|xᵢ), where
 * q̂(xᵢ, π_e) = Σₐ π_e(a|xᵢ) q̂(xᵢ, a) is the round's `directValue`, q̂(xᵢ, aᵢ) its
 * `loggedActionPrediction`, rᵢ the reward, n the number of rounds.
 * Unbiased when the propensities are right, whatever q̂ is; consistent if either the propensities or q̂
 * are right; its variance is that of IPS on the residuals r − q̂, so lower than IPS when q̂ is good.
 * Agrees with Open Bandit Pipeline `DoublyRobust` with `lambda_ = inf` (st-tech/zr-obp,
 * obp/ope/estimators.py).
 * References: Dudík, Erhan, Langford & Li, "Doubly Robust Policy Evaluation and Optimization", 2014.
 */
export function dr(): Estimator {
  return meanEstimator({
    name: 'dr',
    kind: 'doubly-robust',
    requiredFields: ['directValue', 'loggedActionPrediction'],
    term: (round, weight) => (round.directValue as number) + weight * (round.reward - (round.loggedActionPrediction as number)),
    effectiveWeight: (_round, weight) => weight,
  });
}
