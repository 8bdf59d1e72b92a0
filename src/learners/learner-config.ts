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
 * Default Monte Carlo draws M of the Thompson learners' action distribution. The arm is drawn from the
 * estimate p̂, and drawing from the empirical distribution of M draws' winners is drawing one winner:
 * the arm served follows Thompson sampling's exact distribution for every M
 * (`test/learners/lints-served-arm.test.ts`), and p̂ is the exact probability it was drawn with. M only
 * sets how close the logged vector is to Thompson sampling's own probabilities (standard error
 * √(p(1 − p)/M) ≤ 0.5/√M; measured in `bench/results/thompson-draws.md`):
 * - LinTS pays M·K normal draws on every decision (its distribution depends on the context): M = 256,
 *   where the largest error over the candidates is 0.013–0.038 on average and 0.026–0.068 at the 95th
 *   percentile, for a quarter of the cost of M = 1000 (0.006–0.019 and 0.012–0.032). LinTS's draws were
 *   28 % of the service's CPU at M = 1000 in `npm run bench:http`.
 * - Beta-Bernoulli Thompson sampling ignores the context, so its distribution is computed once per
 *   posterior and candidate set and reused (see `BetaThompson`): M = 4000 costs nothing per decision.
 */
export const DEFAULT_LINTS_DRAWS = 256;
export const DEFAULT_THOMPSON_DRAWS = 4000;
