/**
 * The parameters of one policy arm's learner, as declared in a surface file under `policies/`.
 * Every field but `kind` is optional; `createPolicy` fills the documented defaults.
 */
export type LearnerKind = 'thompson' | 'lints' | 'linucb' | 'uniform';

export interface ExplorationOptions {
  /** Exploration floor ε ∈ [0, 1]: π = (1 − ε)·π_learner + ε/K. Default 0. */
  epsilon?: number;
  /** Forgetting factor γ ∈ (0, 1] per step of logical time. Default 1 (no forgetting). */
  gamma?: number;
}

export interface ThompsonConfig extends ExplorationOptions {
  kind: 'thompson';
  /** Beta prior α₀ > 0. Default 1. */
  alpha0?: number;
  /** Beta prior β₀ > 0. Default 1. */
  beta0?: number;
  /** Monte Carlo posterior draws M for the action distribution. */
  draws?: number;
}

export interface LinTsConfig extends ExplorationOptions {
  kind: 'lints';
  /** Posterior scale v > 0: θ ~ N(A⁻¹b, v²A⁻¹). Default 0.25. */
  v?: number;
  /** Ridge prior λ > 0: A = λI + Σ x xᵀ. Default 1. */
  lambda?: number;
  /** Monte Carlo posterior draws M for the action distribution. */
  draws?: number;
}

export interface LinUcbConfig extends ExplorationOptions {
  kind: 'linucb';
  /** Width multiplier α ≥ 0 of the upper confidence bound. Default 1. */
  alpha?: number;
  /** Ridge prior λ > 0. Default 1. */
  lambda?: number;
  /** `split` shares a tie equally (default); `lowest-index` reproduces reference traces. */
  tieBreak?: 'split' | 'lowest-index';
}

export interface UniformConfig {
  kind: 'uniform';
}

export type LearnerConfig = ThompsonConfig | LinTsConfig | LinUcbConfig | UniformConfig;

/**
 * Default Monte Carlo draws M of the Thompson learners' action distribution, chosen from the measured
 * error-versus-cost curve in `bench/results/thompson-draws.md` (standard error of each probability
 * √(p(1 − p)/M) ≤ 0.5/√M):
 * - LinTS pays M·K normal draws on every decision (its distribution depends on the context): M = 1000,
 *   where the largest error over the candidates is 0.015–0.019 on average and 0.027–0.034 at the 95th
 *   percentile, against 0.007–0.010 and 0.013–0.019 at 4000 for four times the cost.
 * - Beta-Bernoulli Thompson sampling ignores the context, so its distribution is computed once per
 *   posterior and candidate set and reused (see `BetaThompson`): M = 4000 costs nothing per decision.
 */
export const DEFAULT_LINTS_DRAWS = 1000;
export const DEFAULT_THOMPSON_DRAWS = 4000;
