import { dot } from '../linalg/vector.js';
import { NormalSource } from '../stats/normal-source.js';
import type { Random } from '../stats/random.js';
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
 * estimate over M such draws — the fraction of draws in which each arm scores highest, with standard
 * error √(p(1 − p)/M) — from which `decide` then samples the arm. The M·K normals come from a
 * `NormalSource` seeded by the decision's generator, filled into one buffer that the learner keeps.
 */
export class LinTs extends LinearLearner {
  readonly kind = 'lints' as const;
  private normalBuffer = new Float64Array(0);

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
    const normals = new NormalSource(random).fill(this.normalsFor(this.draws * count));
    // Arms in decreasing order of mean: a draw's leader is then found early and rarely replaced, so the
    // comparison's branch is mostly predicted (a fifth less time once the arms' means have spread). A
    // tie (probability zero, but floating point) goes to the lowest index, as in index order.
    const order = Array.from(means.keys()).sort((x, y) => means[y]! - means[x]! || x - y);
    const wins = new Float64Array(count);
    for (let m = 0, row = 0; m < this.draws; m++, row += count) {
      let best = -1;
      let bestScore = -Infinity;
      for (let j = 0; j < count; j++) {
        const k = order[j]!;
        const score = means[k]! + deviations[k]! * normals[row + k]!;
        if (score > bestScore || (score === bestScore && k < best)) {
          best = k;
          bestScore = score;
        }
      }
      wins[best]! += 1;
    }
    return wins.map((won) => won / this.draws);
  }

  /** A buffer of `length` draws, kept between decisions, so that a decision allocates no M·K array. */
  private normalsFor(length: number): Float64Array {
    if (this.normalBuffer.length < length) this.normalBuffer = new Float64Array(length);
    return this.normalBuffer.length === length ? this.normalBuffer : this.normalBuffer.subarray(0, length);
  }
}
