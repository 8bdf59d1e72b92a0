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
  /** 95 % percentile bootstrap interval (seeded). */
  ci: [number, number];
  /** 95 % normal-approximation interval (delta method for ratio estimators). */
  normalCi: [number, number];
  /** Kish effective sample size of the importance weights, (Σw)² / Σw². */
  ess: number;
  maxWeight: number;
  /** Plain-words reasons not to trust the estimate; empty when none. */
  warnings: string[];
}

export interface EvaluationResult {
  rows: number;
  estimates: EstimateResult[];
  diagnostics: {
    ess: number;
    maxWeight: number;
    meanWeight: number;
    /** Mean over rounds of the target probability on actions the logging policy never took. */
    supportDeficiency: number;
  };
}
