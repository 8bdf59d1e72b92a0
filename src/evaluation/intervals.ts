import { probit } from 'simple-statistics';
import { chiSquareUpperTail } from '../stats/chi-square.js';

/**
 * z such that P(|Z| ≤ z) = level for a standard normal Z (z = Φ⁻¹((1 + level)/2); 1.959964 for 0.95).
 * Starts from simple-statistics `probit`, whose inverse-error-function approximation is only good to
 * about 2·10⁻³ relative (it gives 1.95716 for 0.975), then takes Newton steps on
 * P(χ²₁ ≥ z²) = 1 − level, using P(χ²₁ ≥ z²) = P(|Z| ≥ z) and d/dz P(|Z| ≥ z) = −2φ(z); the result is
 * as accurate as `chiSquareUpperTail`, about 10⁻¹⁴.
 * @throws RangeError when level is not strictly between 0 and 1.
 * @example twoSidedNormalQuantile(0.95) // 1.959963984540054
 */
export function twoSidedNormalQuantile(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const alpha = 1 - level;
  let z = probit(1 - alpha / 2);
  for (let step = 0; step < 8; step++) {
    const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
    const next = z + (chiSquareUpperTail(z * z, 1) - alpha) / (2 * density);
    if (Math.abs(next - z) <= 1e-15 * z) return next;
    z = next;
  }
  return z;
}

/**
 * Normal-approximation interval for V̂ = g(m̄), m̄ the mean of n i.i.d. term vectors tᵢ ∈ ℝᵈ, by the
 * delta method: SE² = ∇g(m̄)ᵀ Σ̂ ∇g(m̄) / n, Σ̂ = Σᵢ (tᵢ − m̄)(tᵢ − m̄)ᵀ / (n − 1), interval V̂ ± z·SE.
 * For a plain mean (d = 1, ∇g = 1) this is the textbook mean ± z·s/√n with the sample variance s².
 * Reference: Casella & Berger, "Statistical Inference", 2nd ed. (2002), §5.5.4 (the delta method).
 * @param comoment d×d row-major Σᵢ (tᵢ − m̄)(tᵢ − m̄)ᵀ (not yet divided by n − 1).
 * @returns NaN bounds when n < 2 or the value is not finite.
 */
export function deltaMethodInterval(
  value: number,
  gradient: ArrayLike<number>,
  comoment: ArrayLike<number>,
  dimension: number,
  rows: number,
  z: number,
): { low: number; high: number; standardError: number } {
  if (rows < 2 || !Number.isFinite(value)) return { low: Number.NaN, high: Number.NaN, standardError: Number.NaN };
  let quadratic = 0;
  for (let j = 0; j < dimension; j++) {
    for (let k = 0; k < dimension; k++) quadratic += gradient[j]! * comoment[j * dimension + k]! * gradient[k]!;
  }
  const standardError = Math.sqrt(Math.max(0, quadratic) / (rows - 1) / rows);
  return { low: value - z * standardError, high: value + z * standardError, standardError };
}

/**
 * The p-quantile of sorted values by linear interpolation between order statistics, h = (N − 1)p
 * (Hyndman & Fan 1996 definition 7; numpy's default `percentile`, which Open Bandit Pipeline's
 * bootstrap uses).
 * @param sorted ascending, non-empty.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const low = sorted[below]!;
  if (below + 1 >= sorted.length) return low;
  return low + (h - below) * (sorted[below + 1]! - low);
}
