/**
 * A sample of rewards as the running sums a SQL aggregate returns: n = COUNT, Σx = SUM, Σx² = SUM of
 * squares. Means and variances are derived on read.
 */
export interface SampleSummary {
  count: number;
  sum: number;
  sumOfSquares: number;
}

/** x̄ = Σx / n; NaN when n = 0. */
export function sampleMean({ count, sum }: SampleSummary): number {
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Unbiased sample variance s² = (Σx² − (Σx)²/n) / (n − 1), clamped at 0; NaN when n < 2.
 * The textbook one-pass formula loses about (x̄²/s²)·1e-16 relative to cancellation (Chan, Golub &
 * LeVeque, "Algorithms for computing the sample variance", 1983), harmless for rewards of magnitude
 * near their spread, as bounded rewards are.
 */
export function sampleVariance({ count, sum, sumOfSquares }: SampleSummary): number {
  if (count < 2) return Number.NaN;
  return Math.max(0, (sumOfSquares - (sum * sum) / count) / (count - 1));
}
