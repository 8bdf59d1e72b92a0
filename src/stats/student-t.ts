import { regularizedIncompleteBeta } from './incomplete-beta.js';

/**
 * Two-sided tail P(|T| ≥ |t|) of Student's t distribution with ν degrees of freedom (ν may be
 * fractional, as in Welch's test): P = I_{ν/(ν + t²)}(ν/2, 1/2), the regularised incomplete beta
 * function (Abramowitz & Stegun, "Handbook of Mathematical Functions" (1964), 26.7.1 and 26.5.27).
 * Accuracy is that of {@link regularizedIncompleteBeta}.
 * @throws RangeError when t is NaN or ν is not positive.
 * @example studentTTwoSidedPValue(2.0, 10) // 0.07338803477074326 (scipy.stats.t.sf(2, 10) * 2)
 */
export function studentTTwoSidedPValue(t: number, degreesOfFreedom: number): number {
  if (Number.isNaN(t)) throw new RangeError('t must be a number, got NaN');
  if (!(degreesOfFreedom > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${degreesOfFreedom}`);
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
}

/**
 * The two-sided quantile t > 0 with P(|T| ≤ t) = level for Student's t with ν degrees of freedom
 * (t = F⁻¹((1 + level)/2); 2.228139 for level 0.95, ν = 10), by bisection on
 * {@link studentTTwoSidedPValue}, which falls monotonically in t, to 1e-14 relative.
 * @throws RangeError when level is not in (0, 1) or ν is not positive.
 */
export function studentTTwoSidedQuantile(level: number, degreesOfFreedom: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (!(degreesOfFreedom > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${degreesOfFreedom}`);
  const alpha = 1 - level;
  let low = 0;
  let high = 1;
  while (studentTTwoSidedPValue(high, degreesOfFreedom) > alpha) high *= 2;
  while (high - low > 1e-14 * high) {
    const middle = (low + high) / 2;
    if (studentTTwoSidedPValue(middle, degreesOfFreedom) > alpha) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
