import { type Estimator } from './estimator.js';

/**
 * Self-normalised doubly robust (SNDR).
 * V̂ = (1/n) Σᵢ q̂(xᵢ, π_e) + Σᵢ wᵢ (rᵢ − q̂(xᵢ, aᵢ)) / Σᵢ wᵢ (symbols as in {@link dr}).
 * As a function of term means m̄ = mean of (q̂(xᵢ, π_e), wᵢ(rᵢ − q̂(xᵢ, aᵢ)), wᵢ): g(m̄) = m̄₀ + m̄₁ / m̄₂.
 * Biased (O(1/n)) but consistent; the self-normalised correction keeps it stable under large weights.
 * NaN when Σᵢ wᵢ = 0. Only the correction is normalised, the model term is averaged over all n rounds.
 * Agrees with Open Bandit Pipeline `SelfNormalizedDoublyRobust`, whose per-round values are
 * q̂(xᵢ, π_e) + wᵢ(rᵢ − q̂(xᵢ, aᵢ)) / mean(w), without clipping (st-tech/zr-obp, obp/ope/estimators.py).
 * References: Dudík, Erhan, Langford & Li, 2014; Kallus & Uehara, "Intrinsically Efficient, Stable,
 * and Bounded Off-Policy Evaluation for Reinforcement Learning", 2019.
 */
export function sndr(): Estimator {
  return {
    name: 'sndr',
    kind: 'doubly-robust',
    termCount: 3,
    requiredFields: ['directValue', 'loggedActionPrediction'],
    writeTerms(round, weight, out, offset) {
      out[offset] = (round.directValue as number);
      out[offset + 1] = weight * (round.reward - (round.loggedActionPrediction as number));
      out[offset + 2] = weight;
    },
    effectiveWeight: (_round, weight) => weight,
    value(means, offset) {
      const weightMean = means[offset + 2]!;
      return weightMean === 0 ? Number.NaN : means[offset]! + means[offset + 1]! / weightMean;
    },
    gradient(means, offset, gradient) {
      const correction = means[offset + 1]!;
      const weightMean = means[offset + 2]!;
      gradient[0] = 1;
      gradient[1] = 1 / weightMean;
      gradient[2] = -correction / (weightMean * weightMean);
    },
  };
}
