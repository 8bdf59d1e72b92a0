/**
 * Dense Cholesky factorisation A = L Lᵀ of a symmetric positive-definite matrix, with the O(d²)
 * rank-one update and the triangular solves that the linear learners need.
 *
 * Matrices are row-major `Float64Array`s of length d·d; only the lower triangle of L is used.
 * Reference: Golub & Van Loan, "Matrix Computations", 4th ed. (2013), §4.2 and §6.5.4.
 */

/**
 * Factorises A (d×d, symmetric positive definite) into its lower Cholesky factor L.
 * Cost O(d³/3).
 * @throws RangeError when A is not positive definite (a pivot ≤ 0 or not finite).
 */
export function choleskyFactor(matrix: Float64Array, dimension: number): Float64Array {
  const d = dimension;
  const lower = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let pivot = matrix[j * d + j]!;
    for (let k = 0; k < j; k++) pivot -= lower[j * d + k]! * lower[j * d + k]!;
    if (!(pivot > 0) || !Number.isFinite(pivot)) {
      throw new RangeError(`matrix is not positive definite (pivot ${pivot} at column ${j})`);
    }
    const diagonal = Math.sqrt(pivot);
    lower[j * d + j] = diagonal;
    for (let i = j + 1; i < d; i++) {
      let sum = matrix[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * d + k]! * lower[j * d + k]!;
      lower[i * d + j] = sum / diagonal;
    }
  }
  return lower;
}

/**
 * Updates L in place so that L Lᵀ becomes A + w·x xᵀ (w ≥ 0), in O(d²) with Givens-style rotations;
 * numerically stable, unlike updating an explicit inverse (Golub & Van Loan §6.5.4).
 * `scratch` (length d) is overwritten.
 */
export function choleskyRankOneUpdate(
  lower: Float64Array,
  dimension: number,
  vector: ArrayLike<number>,
  weight: number,
  scratch: Float64Array,
): void {
  const d = dimension;
  const root = Math.sqrt(weight);
  for (let i = 0; i < d; i++) scratch[i] = root * vector[i]!;
  for (let k = 0; k < d; k++) {
    const diagonal = lower[k * d + k]!;
    const xk = scratch[k]!;
    if (xk === 0) continue;
    // √(a² + b²) directly: Math.hypot's overflow guard costs several times more, and A's entries are far from it.
    const radius = Math.sqrt(diagonal * diagonal + xk * xk);
    const cosine = radius / diagonal;
    const sine = xk / diagonal;
    lower[k * d + k] = radius;
    for (let i = k + 1; i < d; i++) {
      const updated = (lower[i * d + k]! + sine * scratch[i]!) / cosine;
      scratch[i] = cosine * scratch[i]! - sine * updated;
      lower[i * d + k] = updated;
    }
  }
}

/** Solves L y = b (forward substitution) into `out`; `out` may alias `rhs`. O(d²). */
export function solveLower(
  lower: Float64Array,
  dimension: number,
  rhs: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  const d = dimension;
  for (let i = 0; i < d; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * d + k]! * out[k]!;
    out[i] = sum / lower[i * d + i]!;
  }
  return out;
}

/** Solves Lᵀ y = b (back substitution) into `out`; `out` may alias `rhs`. O(d²). */
export function solveLowerTransposed(
  lower: Float64Array,
  dimension: number,
  rhs: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  const d = dimension;
  for (let i = d - 1; i >= 0; i--) {
    let sum = rhs[i]!;
    for (let k = i + 1; k < d; k++) sum -= lower[k * d + i]! * out[k]!;
    out[i] = sum / lower[i * d + i]!;
  }
  return out;
}

/** Solves A y = b given A's Cholesky factor L: L z = b, then Lᵀ y = z. O(d²). */
export function solveWithCholesky(
  lower: Float64Array,
  dimension: number,
  rhs: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  solveLower(lower, dimension, rhs, out);
  return solveLowerTransposed(lower, dimension, out, out);
}
