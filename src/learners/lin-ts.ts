import { dot } from '../linalg/vector.js';
import { fillStandardNormal, type Random } from '../stats/random.js';
import { argmaxFrequencies } from './argmax-frequencies.js';
import type { ForgettingClock } from './forgetting-clock.js';
import { checkCandidates, checkContext } from './learner.js';
import { LinearLearner } from './linear-learner.js';

/**
 * Linear Thompson sampling (Agrawal & Goyal, "Thompson sampling for contextual bandits with linear
 * payoffs", ICML 2013), disjoint per arm: θ_a ~ N(θ̂_a, v²A_a⁻¹) with A_a = λI + Σ x xᵀ, θ̂_a = A_a⁻¹b_a,
 * and the arm with the highest sampled θ_aᵀx is played.
 *
 * The decision depends on a draw of θ_a only through θ_aᵀx, which is exactly N(μ_a, σ_a²) with
 * μ_a = θ̂_aᵀx and σ_a² = v²·xᵀA_a⁻¹x; the arms are independent. So a posterior draw of the scores costs
 * one normal per arm instead of a d-dimensional draw, and the action distribution is the Monte Carlo
 * estimate over M such draws (`argmaxFrequencies`), from which `decide` then samples the arm.
 */
export class LinTs extends LinearLearner {
  readonly kind = 'lints' as const;

  constructor(
    dimension: number,
    lambda: number,
    clock: ForgettingClock,
    readonly v: number,
    readonly draws: number,
  ) {
    super(dimension, lambda, clock);
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`v must be > 0, got ${v}`);
    if (!Number.isInteger(draws) || draws < 1) throw new RangeError(`draws must be a positive integer, got ${draws}`);
  }

  distribution(context: Float64Array, candidates: readonly string[], random: Random): Float64Array {
    checkCandidates(candidates);
    checkContext(context, this.dimension);
    const count = candidates.length;
    const means = new Float64Array(count);
    const deviations = new Float64Array(count);
    candidates.forEach((arm, k) => {
      const posterior = this.posterior(arm);
      means[k] = dot(posterior.mean(), context);
      deviations[k] = this.v * Math.sqrt(posterior.quadraticForm(context));
    });
    const scores = fillStandardNormal(random, new Float64Array(this.draws * count));
    for (let m = 0; m < this.draws; m++) {
      for (let k = 0; k < count; k++) {
        const cell = m * count + k;
        scores[cell] = means[k]! + deviations[k]! * scores[cell]!;
      }
    }
    return argmaxFrequencies(scores, this.draws, count);
  }
}
