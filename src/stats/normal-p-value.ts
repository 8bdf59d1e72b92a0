import { chiSquareUpperTail } from './chi-square.js';

/**
 * Two-sided standard normal tail P(|Z| ≥ |z|), computed as P(χ²₁ ≥ z²) (Z² ~ χ²₁), whose incomplete
 * gamma evaluation is accurate to about 1e-14 relative even far in the tail, unlike the 1e-7 of
 * simple-statistics' `errorFunction` or its two-decimal `cumulativeStdNormalProbability` table.
 * @throws RangeError when z is NaN.
 * @example twoSidedNormalPValue(1.959963984540054) // 0.05
 */
export function twoSidedNormalPValue(z: number): number {
  if (Number.isNaN(z)) throw new RangeError('z must be a number, got NaN');
  if (!Number.isFinite(z)) return 0;
  return chiSquareUpperTail(z * z, 1);
}
