import { choleskyFactor, solveWithCholesky } from '../../linalg/cholesky.js';
import type { SparseVector } from './hashed-context.js';

/**
 * The sufficient statistics of a least-squares fit, Σ x xᵀ and Σ r x, accumulated from sparse rows in
 * O(nnz²) per row. Dense d×d storage: meant for d up to a few hundred.
 */
export class RidgeStatistics {
  readonly gram: Float64Array;
  readonly moment: Float64Array;

  constructor(readonly dimension: number) {
    this.gram = new Float64Array(dimension * dimension);
    this.moment = new Float64Array(dimension);
  }

  /** Adds one row x with reward r; `count` limits x to its first coordinates (an encoder's reused buffers). */
  add(x: SparseVector, reward: number, count = x.indices.length): void {
    const { indices, values } = x;
    const { gram, moment } = this;
    const d = this.dimension;
    for (let p = 0; p < count; p++) {
      const i = indices[p]!;
      const xi = values[p]!;
      moment[i]! += reward * xi;
      const row = i * d;
      for (let q = 0; q < count; q++) gram[row + indices[q]!]! += xi * values[q]!;
    }
  }
}

/**
 * Ridge regression in closed form: θ = (λI + Σₖ Gₖ)⁻¹ Σₖ mₖ over the given statistics (Gₖ = Σ x xᵀ,
 * mₖ = Σ r x of part k), solved by Cholesky (Golub & Van Loan 2013, §4.2). λ > 0 makes the matrix
 * positive definite, so a part with no rows gives θ = 0. Cost O(d³).
 * Reference: Hoerl & Kennard, "Ridge Regression: Biased Estimation for Nonorthogonal Problems", 1970.
 * @throws RangeError when λ is not > 0 or the parts differ in dimension.
 */
export function fitRidge(parts: readonly RidgeStatistics[], dimension: number, lambda: number): Float64Array {
  if (!(lambda > 0) || !Number.isFinite(lambda)) throw new RangeError(`ridge lambda must be a finite number > 0, got ${lambda}`);
  const d = dimension;
  const matrix = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  for (let i = 0; i < d; i++) matrix[i * d + i] = lambda;
  for (const part of parts) {
    if (part.dimension !== d) throw new RangeError(`statistics have dimension ${part.dimension}, expected ${d}`);
    for (let k = 0; k < d * d; k++) matrix[k]! += part.gram[k]!;
    for (let k = 0; k < d; k++) rhs[k]! += part.moment[k]!;
  }
  return solveWithCholesky(choleskyFactor(matrix, d), d, rhs, new Float64Array(d));
}
