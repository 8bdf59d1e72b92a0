import { meanEstimator, type Estimator } from './estimator.js';

/**
 * IPS with weight clipping at a maximum M.
 * V̂ = (1/n) Σᵢ min(wᵢ, M) rᵢ, wᵢ = π_e(aᵢ|xᵢ) / π_b(aᵢ|xᵢ) (symbols as in {@link ips}), M ≥ 0.
 * Clipping bounds the variance by M² and introduces a bias of −E[(w − M)₊ r] that does not vanish as n
 * grows; M = ∞ is plain IPS, M = 0 estimates 0.
 * Agrees with Open Bandit Pipeline `InverseProbabilityWeighting(lambda_=M)`, which clips with
 * `np.minimum(iw, lambda_)` (st-tech/zr-obp, obp/ope/estimators.py).
 * References: Strehl, Langford, Li & Kakade, 2010; Su, Dimakopoulou, Krishnamurthy & Dudík,
 * "Doubly Robust Off-Policy Evaluation with Shrinkage", 2020.
 * @param maximumWeight M, in [0, ∞]; checked by {@link createEstimator}.
 */
export function clippedIps(maximumWeight: number): Estimator {
  return meanEstimator({
    name: 'clipped-ips',
    parameter: maximumWeight,
    kind: 'weighting',
    requiredFields: [],
    term: (round, weight) => Math.min(weight, maximumWeight) * round.reward,
    effectiveWeight: (_round, weight) => Math.min(weight, maximumWeight),
  });
}
