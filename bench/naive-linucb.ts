import { dot } from '../src/linalg/vector.js';
import { solveByElimination } from './gaussian-elimination.js';
import { NaiveLinearArms } from './naive-linear-arms.js';

/**
 * Baseline disjoint LinUCB (Li et al. 2010) written the obvious way, to measure `LinUcb` against:
 * every decision solves A θ̂ = b and A y = x afresh by Gaussian elimination for each candidate
 * (O(K·d³)), scores θ̂ᵀx + α·√(xᵀy) and takes the first maximum.
 */
export class NaiveLinUcb {
  private readonly arms: NaiveLinearArms;

  constructor(
    readonly dimension: number,
    readonly alpha: number,
    lambda = 1,
  ) {
    this.arms = new NaiveLinearArms(dimension, lambda);
  }

  /** The index of the candidate with the highest upper confidence bound. */
  decide(context: ArrayLike<number>, candidates: readonly string[]): number {
    let best = 0;
    let bestScore = -Infinity;
    candidates.forEach((arm, k) => {
      const { a, b } = this.arms.get(arm);
      const theta = solveByElimination(a, this.dimension, b);
      const width = dot(context, solveByElimination(a, this.dimension, context));
      const score = dot(theta, context) + this.alpha * Math.sqrt(width);
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    });
    return best;
  }

  learn(arm: string, context: ArrayLike<number>, reward: number): void {
    this.arms.learn(arm, context, reward);
  }
}
