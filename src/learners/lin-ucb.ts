import type { Random } from '../stats/random.js';
import { dot } from '../linalg/vector.js';
import type { ForgettingClock } from './forgetting-clock.js';
import { checkCandidates, checkContext } from './learner.js';
import { LinearLearner } from './linear-learner.js';

/** Scores within this relative distance of the maximum count as tied (REFERENCE.md's tie rule). */
export const TIE_TOLERANCE = 1e-9;

/**
 * Disjoint LinUCB (Li, Chu, Langford & Schapire, "A contextual-bandit approach to personalized news
 * article recommendation", WWW 2010, Algorithm 1). Each arm a keeps A_a = λI + Σ x xᵀ and b_a = Σ r x;
 * its score is p_a = θ̂_aᵀx + α·√(xᵀA_a⁻¹x) with θ̂_a = A_a⁻¹b_a, and the arm with the highest score is
 * played. The distribution is exact: the argmax has probability 1, and arms whose scores are within
 * 1e-9 relative of the maximum share it equally (`split`) or give it to the first candidate
 * (`lowest-index`, which reproduces the reference traces).
 */
export class LinUcb extends LinearLearner {
  readonly kind = 'linucb' as const;

  constructor(
    dimension: number,
    lambda: number,
    clock: ForgettingClock,
    readonly alpha: number,
    readonly tieBreak: 'split' | 'lowest-index',
  ) {
    super(dimension, lambda, clock);
    if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be >= 0, got ${alpha}`);
  }

  /** The upper confidence bound θ̂ᵀx + α·√(xᵀA⁻¹x) of one arm. */
  score(arm: string, context: Float64Array): number {
    const posterior = this.posterior(arm);
    return dot(posterior.mean(), context) + this.alpha * Math.sqrt(posterior.quadraticForm(context));
  }

  distribution(context: Float64Array, candidates: readonly string[], _random?: Random): Float64Array {
    checkCandidates(candidates);
    checkContext(context, this.dimension);
    const scores = candidates.map((arm) => this.score(arm, context));
    return argmaxDistribution(scores, this.tieBreak);
  }
}

/** Probability 1 on the maximum score, with ties (within `TIE_TOLERANCE` relative) broken by `tieBreak`. */
export function argmaxDistribution(scores: readonly number[], tieBreak: 'split' | 'lowest-index'): Float64Array {
  const best = Math.max(...scores);
  const tied = scores.map((score) => best - score <= TIE_TOLERANCE * Math.abs(best));
  const probabilities = new Float64Array(scores.length);
  if (tieBreak === 'lowest-index') {
    probabilities[tied.indexOf(true)] = 1;
    return probabilities;
  }
  const share = 1 / tied.filter(Boolean).length;
  tied.forEach((isTied, index) => {
    if (isTied) probabilities[index] = share;
  });
  return probabilities;
}
