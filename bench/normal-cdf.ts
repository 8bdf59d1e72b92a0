/**
 * The standard normal CDF Φ(z) = ½·erfc(−z/√2), to about 1e-15 absolute, for reference computations.
 *
 * erfc(x), x ≥ 0, is computed two ways, each where it converges fast:
 * - x < 3: erfc = 1 − erf with the positive series erf(x) = (2/√π)·e^{−x²}·Σₙ 2ⁿx^{2n+1}/(1·3·…·(2n+1))
 *   (Abramowitz & Stegun 7.1.6), free of cancellation;
 * - x ≥ 3: the continued fraction erfc(x) = (e^{−x²}/√π)·1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
 *   (A&S 7.1.14), evaluated from 120 levels down.
 * Checked in `bench/thompson-draws.ts` against published values of Φ.
 */
export function standardNormalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const x = Math.abs(z) / Math.SQRT2;
  const tail = 0.5 * erfc(x);
  return z < 0 ? tail : 1 - tail;
}

function erfc(x: number): number {
  const gaussian = Math.exp(-x * x);
  if (x < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; term > 1e-17 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * gaussian * sum;
  }
  let fraction = x;
  for (let level = 120; level >= 1; level--) fraction = x + level / 2 / fraction;
  return gaussian / Math.sqrt(Math.PI) / fraction;
}
