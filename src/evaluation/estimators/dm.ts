import { meanEstimator, type Estimator } from './estimator.js';

/**
 * Direct method (DM).
 * V̂ = (1/n) Σᵢ q̂(xᵢ, π_e), q̂(xᵢ, π_e) = Σₐ π_e(a|xᵢ) q̂(xᵢ, a) (the round's `directValue`), where
 * q̂(x, a) is a fitted model of the mean reward E[r | x, a] and n the number of rounds.
 * Low variance, but biased by however wrong q̂ is, and nothing in the log corrects that bias; its
 * interval reflects only the spread of the predictions, not the model's error.
 * Agrees with Open Bandit Pipeline `DirectMethod` (st-tech/zr-obp, obp/ope/estimators.py), which takes
 * `np.average(q_hat, weights=action_dist)`; that equals `directValue` when π_e(·|xᵢ) sums to 1.
 * References: Beygelzimer & Langford, "The Offset Tree for Learning with Partial Labels", 2009;
 * Dudík, Erhan, Langford & Li, "Doubly Robust Policy Evaluation and Optimization", 2014.
 */
export function dm(): Estimator {
  return meanEstimator({
    name: 'dm',
    kind: 'model',
    requiredFields: ['directValue'],
    term: (round) => round.directValue as number,
    effectiveWeight: () => 1,
  });
}
