/**
 * The shapes shared by the offline-evaluation library (estimators, intervals, diagnostics) and its
 * inputs (files, the decision log, target policies, reward models).
 */

/** One logged round in the logged-feedback layout, as read from a file or the decision log. */
export interface LoggedRound {
  /** Raw context features by name. */
  context: Record<string, number | boolean | string>;
  /** Id of the logged action aᵢ. */
  action: string;
  /** Observed reward rᵢ. */
  reward: number;
  /** π_b(aᵢ | xᵢ): the logging policy's probability of the logged action, in (0, 1]. */
  propensity: number;
  /** Slot of a multi-slot widget, when the log has one (1-based). */
  position?: number;
  timestamp?: Date;
}

/** What every estimator needs of round i, once the target policy and the reward model are applied. */
export interface EvaluationRound {
  /** rᵢ */
  reward: number;
  /** π_b(aᵢ | xᵢ), in (0, 1]. */
  propensity: number;
  /** π_e(aᵢ | xᵢ), in [0, 1]. */
  targetProbability: number;
  /** Σₐ π_e(a | xᵢ)·q̂(xᵢ, a): the direct-method value of the round (model-based estimators only). */
  directValue?: number;
  /** q̂(xᵢ, aᵢ): the reward model at the logged action (model-based estimators only). */
  loggedActionPrediction?: number;
  /** Σ of π_e(a | xᵢ) over actions the logging policy never took (support deficiency), when known. */
  unsupportedTargetMass?: number;
}

export type EstimatorName =
  | 'on-policy'
  | 'ips'
  | 'snips'
  | 'clipped-ips'
  | 'dm'
  | 'dr'
  | 'sndr'
  | 'switch-dr'
  | 'dros'
  | 'replay';

export interface EstimatorSpec {
  name: EstimatorName;
  /** Switch-DR threshold λ on the importance weight, DRos shrinkage λ, or clipped IPS's maximum weight. */
  parameter?: number;
}

export interface Interval {
  low: number;
  high: number;
}

export interface EstimateResult {
  estimator: EstimatorName;
  /** The parameter used, when the estimator has one. */
  parameter?: number;
  value: number;
  /** Percentile bootstrap interval at the requested level (95 % by default; seeded); NaN bounds without resamples. */
  ci: [number, number];
  /** Normal-approximation interval at the same level (delta method for ratio estimators). */
  normalCi: [number, number];
  /** Delta-method standard error of `value`, the half-width of `normalCi` divided by z. */
  standardError: number;
  /** Kish effective sample size, (Σω)² / Σω², of the weights ω this estimator puts on the rewards. */
  ess: number;
  /** Largest such weight ω (the clipped, switched or shrunk weight where the estimator changes w). */
  maxWeight: number;
  /** Plain-words reasons not to trust the estimate; empty when none. */
  warnings: string[];
}

export interface EvaluationResult {
  rows: number;
  /** Confidence level of both intervals. */
  level: number;
  /** How the bootstrap interval was computed: rows are resampled in `blocks` blocks of `rowsPerBlock` rows. */
  bootstrap: { resamples: number; blocks: number; rowsPerBlock: number };
  estimates: EstimateResult[];
  diagnostics: {
    ess: number;
    maxWeight: number;
    meanWeight: number;
    /** Mean over rounds of the target probability on actions the logging policy never took. */
    supportDeficiency: number;
    /** Rounds that reported `unsupportedTargetMass`; when 0, `supportDeficiency` is 0 for want of data. */
    supportDeficiencyRows: number;
    /** Smallest and largest logged propensity (equal under uniform logging). */
    minPropensity: number;
    maxPropensity: number;
  };
}
