import { meanEstimator, type Estimator } from './estimator.js';

/**
 * Inverse propensity scoring (IPS, OBP's "IPW").
 * V̂ = (1/n) Σᵢ wᵢ rᵢ, wᵢ = π_e(aᵢ|xᵢ) / π_b(aᵢ|xᵢ), where rᵢ is the reward of round i, aᵢ the logged
 * action, π_b(aᵢ|xᵢ) ∈ (0, 1] its logged propensity, π_e(aᵢ|xᵢ) ∈ [0, 1] the target policy's
 * probability of the same action, n the number of rounds.
 * Unbiased and consistent when the propensities are the true logging probabilities and π_b covers every
 * action π_e takes; variance grows with E[w²], so it is large when the two policies differ much.
 * Agrees with Open Bandit Pipeline `InverseProbabilityWeighting` with `lambda_ = inf`
 * (st-tech/zr-obp, obp/ope/estimators.py).
 * References: Strehl, Langford, Li & Kakade, "Learning from Logged Implicit Exploration Data", 2010;
 * Dudík, Erhan, Langford & Li, "Doubly Robust Policy Evaluation and Optimization", 2014.
 */
export function ips(): Estimator {
  return meanEstimator({
    name: 'ips',
    kind: 'weighting',
    requiredFields: [],
    term: (round, weight) => weight * round.reward,
    effectiveWeight: (_round, weight) => weight,
  });
}
