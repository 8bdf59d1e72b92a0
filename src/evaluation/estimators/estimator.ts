import type { EstimatorName, EvaluationRound } from '../evaluation-types.js';

/**
 * How an estimator weighs the logged rewards; decides which diagnostics and warnings apply to it.
 * - `weighting`: importance-weighted (IPS, SNIPS, clipped IPS), needs full support of the logging policy.
 * - `doubly-robust`: reward model plus an importance-weighted correction (DR, SNDR, Switch-DR, DRos).
 * - `model`: the reward model alone (DM).
 * - `replay`: keeps only the rounds where the target policy's choice matched the logged action.
 * - `on-policy`: the logged rewards as they are (the logging policy's own value).
 */
/** The reward-model fields of a round: q̂(xᵢ, π_e) and q̂(xᵢ, aᵢ). */
export type RewardModelField = 'directValue' | 'loggedActionPrediction';

export type EstimatorKind = 'weighting' | 'doubly-robust' | 'model' | 'replay' | 'on-policy';

/**
 * An off-policy estimator written as a smooth function of means of per-round terms:
 * V̂ = g(m̄), m̄ = (1/n) Σᵢ tᵢ, tᵢ ∈ ℝᵈ with d = `termCount` ∈ {1, 2, 3}.
 * That form makes every estimator streamable (only Σᵢ tᵢ is kept), gives its normal interval by the
 * delta method (∇g(m̄)ᵀ Σ̂ ∇g(m̄) / n) and lets the bootstrap resample sums of terms instead of rows.
 *
 * Inputs are checked once, at the accumulator's entry; `writeTerms` trusts that a model-based
 * estimator's round has the fields in `requiredFields`.
 */
export interface Estimator {
  readonly name: EstimatorName;
  /** Clipping maximum, switching threshold or shrinkage λ, for the estimators that have one. */
  readonly parameter?: number;
  readonly kind: EstimatorKind;
  readonly termCount: number;
  /** Reward-model fields every round must carry for this estimator. */
  readonly requiredFields: readonly RewardModelField[];
  /** Writes tᵢ to out[offset … offset + termCount); `weight` is wᵢ = π_e(aᵢ|xᵢ) / π_b(aᵢ|xᵢ). */
  writeTerms(round: EvaluationRound, weight: number, out: Float64Array, offset: number): void;
  /** The weight the estimator effectively puts on the round's observed reward (for ESS and max weight). */
  effectiveWeight(round: EvaluationRound, weight: number): number;
  /** g(m̄) from the term means m̄ = means[offset … offset + termCount). */
  value(means: ArrayLike<number>, offset: number): number;
  /** ∇g(m̄), written to gradient[0 … termCount). */
  gradient(means: ArrayLike<number>, offset: number, gradient: Float64Array): void;
}

/** What differs between estimators whose value is the plain mean of one per-round term, V̂ = (1/n) Σᵢ tᵢ. */
export interface MeanEstimatorDefinition {
  name: EstimatorName;
  parameter?: number;
  kind: EstimatorKind;
  requiredFields: readonly RewardModelField[];
  /** tᵢ */
  term(round: EvaluationRound, weight: number): number;
  /** The weight put on rᵢ. */
  effectiveWeight(round: EvaluationRound, weight: number): number;
}

/** An estimator V̂ = (1/n) Σᵢ tᵢ: g(m) = m, ∇g = 1, so its normal interval is the usual mean ± z·s/√n. */
export function meanEstimator(definition: MeanEstimatorDefinition): Estimator {
  const { term, effectiveWeight } = definition;
  return {
    name: definition.name,
    ...(definition.parameter === undefined ? {} : { parameter: definition.parameter }),
    kind: definition.kind,
    termCount: 1,
    requiredFields: definition.requiredFields,
    writeTerms(round, weight, out, offset) {
      out[offset] = term(round, weight);
    },
    effectiveWeight,
    value(means, offset) {
      return means[offset]!;
    },
    gradient(_means, _offset, gradient) {
      gradient[0] = 1;
    },
  };
}

/**
 * An estimator V̂ = Σᵢ aᵢ / Σᵢ bᵢ = m̄_a / m̄_b (self-normalised IPS, replay): ∇g = (1/m̄_b, −m̄_a/m̄_b²).
 * NaN when Σᵢ bᵢ = 0 (no round has any weight).
 */
export function ratioEstimator(definition: {
  name: EstimatorName;
  kind: EstimatorKind;
  numerator(round: EvaluationRound, weight: number): number;
  denominator(round: EvaluationRound, weight: number): number;
}): Estimator {
  const { numerator, denominator } = definition;
  return {
    name: definition.name,
    kind: definition.kind,
    termCount: 2,
    requiredFields: [],
    writeTerms(round, weight, out, offset) {
      out[offset] = numerator(round, weight);
      out[offset + 1] = denominator(round, weight);
    },
    effectiveWeight: denominator,
    value(means, offset) {
      const b = means[offset + 1]!;
      return b === 0 ? Number.NaN : means[offset]! / b;
    },
    gradient(means, offset, gradient) {
      const a = means[offset]!;
      const b = means[offset + 1]!;
      gradient[0] = 1 / b;
      gradient[1] = -a / (b * b);
    },
  };
}
