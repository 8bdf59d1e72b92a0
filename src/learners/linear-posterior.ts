import {
  choleskyFactor,
  choleskyRankOneUpdate,
  solveLower,
  solveWithCholesky,
} from '../linalg/cholesky.js';
import { squaredNorm } from '../linalg/vector.js';

/**
 * The additive statistics of one arm of a linear learner, as a flat vector:
 * [n, Σ w·r·x (d entries), Σ w·x xᵀ (upper triangle, row by row, d(d+1)/2 entries)],
 * where n counts observations and w is the forgetting weight (1 without forgetting).
 */
export function linearStatisticsLength(dimension: number): number {
  return 1 + dimension + (dimension * (dimension + 1)) / 2;
}

/** The increment of one observation (x, r) with weight w, in the layout of `linearStatisticsLength`. */
export function linearIncrement(context: ArrayLike<number>, reward: number, weight: number): Float64Array {
  const d = context.length;
  const increment = new Float64Array(linearStatisticsLength(d));
  increment[0] = 1;
  for (let i = 0; i < d; i++) increment[1 + i] = weight * reward * context[i]!;
  let offset = 1 + d;
  for (let i = 0; i < d; i++) {
    const wx = weight * context[i]!;
    for (let j = i; j < d; j++) increment[offset++] = wx * context[j]!;
  }
  return increment;
}

/**
 * The ridge posterior of one arm: A = λI + s·Σ w x xᵀ and b = s·Σ w r x, with s the forgetting scale.
 * It caches the Cholesky factor L of A (A = L Lᵀ) and θ̂ = A⁻¹b. An observation at the current scale is a
 * rank-one change of A, so the factor is updated in O(d²) (Golub & Van Loan 2013, §6.5.4) rather than
 * refactorised, and both xᵀA⁻¹x = ‖L⁻¹x‖² and θ̂ cost two triangular solves.
 */
export class LinearPosterior {
  private readonly lower: Float64Array;
  private readonly b: Float64Array;
  private readonly theta: Float64Array;
  private thetaStale = true;
  private readonly scratch: Float64Array;

  private constructor(
    readonly dimension: number,
    lower: Float64Array,
    b: Float64Array,
  ) {
    this.lower = lower;
    this.b = b;
    this.theta = new Float64Array(dimension);
    this.scratch = new Float64Array(dimension);
  }

  /** Builds the posterior from an arm's statistics vector, the ridge prior λ and the forgetting scale s. */
  static fromStatistics(statistics: Float64Array, dimension: number, lambda: number, scale: number): LinearPosterior {
    const d = dimension;
    const matrix = new Float64Array(d * d);
    let offset = 1 + d;
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const value = scale * statistics[offset++]!;
        matrix[i * d + j] = value;
        matrix[j * d + i] = value;
      }
      matrix[i * d + i]! += lambda;
    }
    const b = new Float64Array(d);
    for (let i = 0; i < d; i++) b[i] = scale * statistics[1 + i]!;
    return new LinearPosterior(d, choleskyFactor(matrix, d), b);
  }

  /** Adds one observation with effective weight w (forgetting weight times scale): A += w·x xᵀ, b += w·r·x. */
  observe(context: ArrayLike<number>, reward: number, weight: number): void {
    choleskyRankOneUpdate(this.lower, this.dimension, context, weight, this.scratch);
    for (let i = 0; i < this.dimension; i++) this.b[i]! += weight * reward * context[i]!;
    this.thetaStale = true;
  }

  /** θ̂ = A⁻¹b, the ridge estimate. The returned array is owned by the posterior. */
  mean(): Float64Array {
    if (this.thetaStale) {
      solveWithCholesky(this.lower, this.dimension, this.b, this.theta);
      this.thetaStale = false;
    }
    return this.theta;
  }

  /** xᵀA⁻¹x = ‖L⁻¹x‖², the squared width of the confidence ellipsoid in direction x. */
  quadraticForm(context: ArrayLike<number>): number {
    return squaredNorm(solveLower(this.lower, this.dimension, context, this.scratch));
  }

  /** The Cholesky factor L of A (row-major lower triangle), for checks against a fresh factorisation. */
  factor(): Float64Array {
    return this.lower;
  }
}
