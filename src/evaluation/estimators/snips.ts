import { ratioEstimator, type Estimator } from './estimator.js';

/**
 * Self-normalised inverse propensity scoring (SNIPS, OBP's "SNIPW").
 * V̂ = Σᵢ wᵢ rᵢ / Σᵢ wᵢ, wᵢ = π_e(aᵢ|xᵢ) / π_b(aᵢ|xᵢ) (symbols as in {@link ips}).
 * Biased (the bias is O(1/n)) but consistent; a weighted mean of observed rewards, so it stays within the
 * reward range and has lower variance than IPS when weights are large. NaN when Σᵢ wᵢ = 0.
 * Agrees with Open Bandit Pipeline `SelfNormalizedInverseProbabilityWeighting`, whose per-round values
 * rᵢwᵢ / mean(w) average to the same ratio (st-tech/zr-obp, obp/ope/estimators.py).
 * References: Swaminathan & Joachims, "The Self-Normalized Estimator for Counterfactual Learning", 2015;
 * Kallus & Uehara, "Intrinsically Efficient, Stable, and Bounded Off-Policy Evaluation for
 * Reinforcement Learning", 2019.
 */
export function snips(): Estimator {
  return ratioEstimator({
    name: 'snips',
    kind: 'weighting',
    numerator: (round, weight) => weight * round.reward,
    denominator: (_round, weight) => weight,
  });
}
