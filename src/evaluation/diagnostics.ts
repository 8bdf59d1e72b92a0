import type { Estimator } from './estimators/estimator.js';

/**
 * Kish's effective sample size of weights w₁ … wₙ: ESS = (Σᵢ wᵢ)² / Σᵢ wᵢ², between 1 and n for
 * non-negative weights not all 0 (n when all are equal); 0 when every weight is 0.
 * Reference: Kish, "Survey Sampling", 1965, §11.7.
 */
export function kishEffectiveSampleSize(sum: number, sumOfSquares: number): number {
  return sumOfSquares === 0 ? 0 : (sum * sum) / sumOfSquares;
}

/** Running Σw, Σw², max w and count of a stream of non-negative weights; O(1) per weight, no allocation. */
export class WeightSums {
  count = 0;
  sum = 0;
  sumOfSquares = 0;
  max = 0;

  add(weight: number): void {
    this.count++;
    this.sum += weight;
    this.sumOfSquares += weight * weight;
    if (weight > this.max) this.max = weight;
  }

  get ess(): number {
    return kishEffectiveSampleSize(this.sum, this.sumOfSquares);
  }

  get mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  /** Standard error of the mean weight, s/√n with the (n − 1) sample variance; NaN below 2 weights. */
  get meanStandardError(): number {
    if (this.count < 2) return Number.NaN;
    const variance = (this.sumOfSquares - (this.sum * this.sum) / this.count) / (this.count - 1);
    return Math.sqrt(Math.max(0, variance) / this.count);
  }
}

/** Where a warning starts. Each is a rule of thumb, stated in the warning it produces. */
export const WARNING_THRESHOLDS = {
  /** Fewer rows than this and every estimate is rough. */
  minimumRows: 1_000,
  /** An ESS below this many rows… */
  minimumEss: 100,
  /** …or below this share of the rows means a few rows carry the estimate. */
  minimumEssShare: 0.01,
  /** One row holding more than this share of Σw dominates the estimate. */
  maximumWeightShare: 0.1,
  /** A mean importance weight further than this from 1 (and 3 standard errors) suggests wrong inputs. */
  meanWeightTolerance: 0.1,
  /** More target probability than this on never-logged actions biases IPS-type estimates. */
  maximumSupportDeficiency: 0.01,
} as const;

/** What the warnings of one estimate are decided from. */
export interface WarningInputs {
  estimator: Estimator;
  rows: number;
  value: number;
  /** Σ, Σ², max of the weights the estimator effectively puts on the rewards. */
  effectiveWeights: WeightSums;
  /** Σ, Σ², max of the plain importance weights wᵢ = π_e(aᵢ|xᵢ) / π_b(aᵢ|xᵢ). */
  importanceWeights: WeightSums;
  /** Mean unsupported target mass over the rows that reported it; NaN when none did. */
  supportDeficiency: number;
  minimumPropensity: number;
  maximumPropensity: number;
}

const percent = (share: number): string => `${(100 * share).toPrecision(2)} %`;
const number = (value: number): string => value.toPrecision(3);

/**
 * Plain-words reasons not to trust an estimate; empty when none apply. The rules (thresholds in
 * {@link WARNING_THRESHOLDS}): too few rows; undefined value; ESS below 100 or 1 % of the rows; one row
 * carrying over 10 % of the weight; mean importance weight away from 1, which it is in expectation
 * under full support (E_{π_b}[π_e/π_b] = 1); support deficiency over 1 % for estimators that cannot
 * see unsupported actions; DM always (nothing checks its model); replay on non-uniform logging.
 */
export function estimateWarnings(inputs: WarningInputs): string[] {
  const { estimator, rows, value, effectiveWeights, importanceWeights } = inputs;
  const t = WARNING_THRESHOLDS;
  const warnings: string[] = [];
  if (rows < t.minimumRows) {
    warnings.push(`only ${rows} rows: below ${t.minimumRows} rows estimates are rough and their intervals unreliable`);
  }
  if (Number.isNaN(value)) {
    warnings.push(
      estimator.kind === 'replay'
        ? 'no logged action matched the target policy, so replay has nothing to average'
        : 'the importance weights sum to 0 (the target policy never takes a logged action), so the estimate is undefined',
    );
    return warnings;
  }
  const reweights = estimator.kind === 'weighting' || estimator.kind === 'doubly-robust' || estimator.kind === 'replay';
  if (reweights && rows > 0) {
    const ess = effectiveWeights.ess;
    if (ess < t.minimumEss || ess < t.minimumEssShare * rows) {
      warnings.push(
        `effective sample size is ${number(ess)} of ${rows} rows (${percent(ess / rows)}): a few rows carry the estimate, so it is very noisy`,
      );
    }
    const share = effectiveWeights.sum === 0 ? 0 : effectiveWeights.max / effectiveWeights.sum;
    if (share > t.maximumWeightShare) {
      warnings.push(`a single row carries ${percent(share)} of the total weight: the estimate hinges on one observation`);
    }
  }
  if (estimator.kind === 'weighting' || estimator.kind === 'doubly-robust') {
    const mean = importanceWeights.mean;
    const gap = Math.abs(mean - 1);
    if (gap > t.meanWeightTolerance && gap > 3 * importanceWeights.meanStandardError) {
      warnings.push(
        `the mean importance weight is ${number(mean)}, but it should be close to 1: check that the propensities are the logging policy's probabilities of the logged actions and that the target probabilities are for the same actions`,
      );
    }
  }
  if (
    (estimator.kind === 'weighting' || estimator.kind === 'replay') &&
    inputs.supportDeficiency > t.maximumSupportDeficiency
  ) {
    warnings.push(
      `${percent(inputs.supportDeficiency)} of the target policy's probability is on actions the logging policy never takes: ${estimator.name} cannot see those actions and is biased (DR-type estimators fill them in from the reward model)`,
    );
  }
  if (estimator.kind === 'model') {
    warnings.push(
      'DM relies entirely on the reward model: its interval shows only the spread of the predictions, not the model’s own error; check it against DR or SNDR before trusting it',
    );
  }
  if (estimator.kind === 'replay' && inputs.maximumPropensity - inputs.minimumPropensity > 1e-9) {
    warnings.push(
      `the logging propensities are not uniform (from ${number(inputs.minimumPropensity)} to ${number(inputs.maximumPropensity)}): replay is unbiased only under uniform random logging; use IPS or DR instead`,
    );
  }
  return warnings;
}
