/**
 * Solves A y = b for a dense d×d matrix (row-major) by Gaussian elimination with partial pivoting on a
 * fresh copy, O(2d³/3) — the textbook method the naive baselines use on every call, with nothing cached
 * between calls (Golub & Van Loan, "Matrix Computations", 4th ed. 2013, §3.4).
 * @throws RangeError when A is singular to working precision.
 */
export function solveByElimination(matrix: ArrayLike<number>, dimension: number, rhs: ArrayLike<number>): number[] {
  const d = dimension;
  const rows = Array.from({ length: d }, (_, i) => [...Array.from({ length: d }, (_, j) => matrix[i * d + j]!), rhs[i]!]);
  for (let column = 0; column < d; column++) {
    let pivot = column;
    for (let i = column + 1; i < d; i++) {
      if (Math.abs(rows[i]![column]!) > Math.abs(rows[pivot]![column]!)) pivot = i;
    }
    if (rows[pivot]![column] === 0) throw new RangeError(`matrix is singular at column ${column}`);
    [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];
    const top = rows[column]!;
    for (let i = column + 1; i < d; i++) {
      const row = rows[i]!;
      const factor = row[column]! / top[column]!;
      for (let j = column; j <= d; j++) row[j]! -= factor * top[j]!;
    }
  }
  const solution = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    const row = rows[i]!;
    let sum = row[d]!;
    for (let j = i + 1; j < d; j++) sum -= row[j]! * solution[j]!;
    solution[i] = sum / row[i]!;
  }
  return solution;
}
