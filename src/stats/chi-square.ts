import { logGamma } from './log-gamma.js';

/**
 * Upper tail P(χ²_k ≥ x) of the chi-square distribution with k degrees of freedom, as the regularised
 * upper incomplete gamma function Q(k/2, x/2): by its series when x < a + 1, else by its continued
 * fraction (modified Lentz). Press et al., "Numerical Recipes", 3rd ed. (2007), §6.2. Accurate to about
 * 1e-14 relative.
 * @throws RangeError when k is not positive or x is negative or not finite.
 */
export function chiSquareUpperTail(statistic: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${degreesOfFreedom}`);
  if (!(statistic >= 0) || !Number.isFinite(statistic)) throw new RangeError(`statistic must be >= 0, got ${statistic}`);
  const a = degreesOfFreedom / 2;
  const x = statistic / 2;
  if (x === 0) return 1;
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefactor));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefactor) * h;
}

/**
 * Pearson's chi-square goodness-of-fit statistic Σ (Oᵢ − Eᵢ)² / Eᵢ and its p-value with (cells − 1)
 * degrees of freedom. Cells with Eᵢ = 0 must have Oᵢ = 0 and are left out.
 * @throws RangeError when the arrays differ in length or a cell with no expectation was observed.
 */
export function chiSquareGoodnessOfFit(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
): { statistic: number; degreesOfFreedom: number; pValue: number } {
  if (observed.length !== expected.length) throw new RangeError('observed and expected must have the same length');
  let statistic = 0;
  let cells = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i]!;
    const o = observed[i]!;
    if (e === 0) {
      if (o !== 0) throw new RangeError(`cell ${i} was observed ${o} times but has expectation 0`);
      continue;
    }
    statistic += ((o - e) * (o - e)) / e;
    cells++;
  }
  const degreesOfFreedom = cells - 1;
  const pValue = degreesOfFreedom > 0 ? chiSquareUpperTail(statistic, degreesOfFreedom) : 1;
  return { statistic, degreesOfFreedom, pValue };
}
