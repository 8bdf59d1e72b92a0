import { meanEstimator, type Estimator } from './estimator.js';

/**
 * Doubly robust with optimistic shrinkage (DRos) with shrinkage λ.
 * V̂ = (1/n) Σᵢ [q̂(xᵢ, π_e) + ŵᵢ (rᵢ − q̂(xᵢ, aᵢ))], ŵᵢ = λ wᵢ / (wᵢ² + λ) (symbols as in {@link dr}),
 * λ ≥ 0.
 * ŵ minimises a bound on the MSE; it is ≤ w, peaks at w = √λ, and shrinks large weights towards 0.
 * λ = ∞ is DR (ŵ = w), λ = 0 is DM (ŵ = 0).
 * Agrees with Open Bandit Pipeline `DoublyRobustWithShrinkage` code, `iw_hat = (lambda_ * iw) /
 * (iw**2 + lambda_)` times the residual (its docstring shows an extra factor w, the code does not;
 * this follows the code; st-tech/zr-obp, obp/ope/estimators.py). One deliberate difference: at λ = 0 and
 * w = 0 OBP computes 0/0 = NaN, here ŵ = 0, the limit from either side.
 * References: Su, Dimakopoulou, Krishnamurthy & Dudík, "Doubly Robust Off-Policy Evaluation with
 * Shrinkage", ICML 2020.
 * @param shrinkage λ, in [0, ∞]; checked by {@link createEstimator}.
 */
export function dros(shrinkage: number): Estimator {
  const shrunk = (weight: number): number => {
    if (shrinkage === Number.POSITIVE_INFINITY) return weight;
    const denominator = weight * weight + shrinkage;
    return denominator === 0 ? 0 : (shrinkage * weight) / denominator;
  };
  return meanEstimator({
    name: 'dros',
    parameter: shrinkage,
    kind: 'doubly-robust',
    requiredFields: ['directValue', 'loggedActionPrediction'],
    term: (round, weight) => (round.directValue as number) + shrunk(weight) * (round.reward - (round.loggedActionPrediction as number)),
    effectiveWeight: (_round, weight) => shrunk(weight),
  });
}
