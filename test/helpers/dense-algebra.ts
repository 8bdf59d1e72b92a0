/**
 * Textbook dense algebra, independent of src/linalg, used as the "fresh solve" that the cached
 * factorisations are checked against.
 */

/** Solves A y = b by Gaussian elimination with partial pivoting (A row-major d×d). */
export function gaussianSolve(matrix: ArrayLike<number>, rhs: ArrayLike<number>): Float64Array {
  const d = rhs.length;
  const a = Array.from({ length: d }, (_, i) => [...Array.from({ length: d }, (_, j) => matrix[i * d + j]!), rhs[i]!]);
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let row = col + 1; row < d; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = col + 1; row < d; row++) {
      const factor = a[row]![col]! / a[col]![col]!;
      for (let k = col; k <= d; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  const y = new Float64Array(d);
  for (let row = d - 1; row >= 0; row--) {
    let sum = a[row]![d]!;
    for (let k = row + 1; k < d; k++) sum -= a[row]![k]! * y[k]!;
    y[row] = sum / a[row]![row]!;
  }
  return y;
}

/** A = λI + Σ x xᵀ and b = Σ r x over the given observations. */
export function ridgeSystem(
  observations: readonly { x: ArrayLike<number>; r: number }[],
  dimension: number,
  lambda: number,
): { matrix: Float64Array; rhs: Float64Array } {
  const matrix = new Float64Array(dimension * dimension);
  const rhs = new Float64Array(dimension);
  for (let i = 0; i < dimension; i++) matrix[i * dimension + i] = lambda;
  for (const { x, r } of observations) {
    for (let i = 0; i < dimension; i++) {
      rhs[i]! += r * x[i]!;
      for (let j = 0; j < dimension; j++) matrix[i * dimension + j]! += x[i]! * x[j]!;
    }
  }
  return { matrix, rhs };
}

export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    error = Math.max(error, Math.abs(actual[i]! - expected[i]!));
  }
  return error / scale;
}
