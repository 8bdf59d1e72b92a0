import { choleskyFactor, solveLowerTransposed } from '../src/linalg/cholesky.js';
import { sampleIndex } from '../src/learners/sample-index.js';
import { fillStandardNormal, type Random } from '../src/stats/random.js';
import { solveByElimination } from './gaussian-elimination.js';
import { NaiveLinearArms } from './naive-linear-arms.js';

/**
 * Baseline linear Thompson sampling (Agrawal & Goyal 2013) written the obvious way, to measure `LinTs`
 * against. Every decision, for each candidate: θ̂ = A⁻¹b by fresh Gaussian elimination, a fresh Cholesky
 * factor A = L Lᵀ, and M full d-dimensional draws θ = θ̂ + v·L⁻ᵀz with z ~ N(0, I), whose covariance is
 * v²L⁻ᵀL⁻¹ = v²A⁻¹. The action distribution is the fraction of the M joint draws each arm wins, and the
 * arm is drawn from it. Cost O(K·(d³ + M·d²)) per decision.
 */
export class NaiveLinTs {
  private readonly arms: NaiveLinearArms;

  constructor(
    readonly dimension: number,
    readonly v: number,
    readonly draws: number,
    lambda = 1,
  ) {
    this.arms = new NaiveLinearArms(dimension, lambda);
  }

  /** The index of the chosen candidate. */
  decide(context: ArrayLike<number>, candidates: readonly string[], random: Random): number {
    const d = this.dimension;
    const scores = candidates.map((arm) => {
      const { a, b } = this.arms.get(arm);
      const mean = solveByElimination(a, d, b);
      const lower = choleskyFactor(a, d);
      const normal = new Float64Array(d);
      const offset = new Float64Array(d);
      return Array.from({ length: this.draws }, () => {
        solveLowerTransposed(lower, d, fillStandardNormal(random, normal), offset);
        let score = 0;
        for (let i = 0; i < d; i++) score += (mean[i]! + this.v * offset[i]!) * context[i]!;
        return score;
      });
    });
    const wins = new Array<number>(candidates.length).fill(0);
    for (let m = 0; m < this.draws; m++) {
      let best = 0;
      for (let k = 1; k < candidates.length; k++) if (scores[k]![m]! > scores[best]![m]!) best = k;
      wins[best]! += 1;
    }
    return sampleIndex(wins.map((count) => count / this.draws), random);
  }

  learn(arm: string, context: ArrayLike<number>, reward: number): void {
    this.arms.learn(arm, context, reward);
  }
}
