import { standardNormalCdf } from './normal-cdf.js';

/**
 * Exact P(arm k has the highest score) for independent normal scores Sₖ ~ N(μₖ, σₖ²) (σₖ > 0):
 * P(k) = ∫ φ(t) Πⱼ≠ₖ Φ((μₖ − μⱼ + σₖt)/σⱼ) dt, conditioning on Sₖ = μₖ + σₖt. Composite Simpson rule
 * on t ∈ [−12, 12] with `intervals` (even) sub-intervals; the mass outside is below 1e-32.
 * Cost O(intervals·K²) evaluations of Φ. @throws RangeError on a σ that is not positive.
 */
export function normalArgmaxProbabilities(means: ArrayLike<number>, deviations: ArrayLike<number>, intervals = 20_000): Float64Array {
  const count = means.length;
  for (let k = 0; k < count; k++) {
    if (!(deviations[k]! > 0)) throw new RangeError(`deviation ${k} must be > 0, got ${deviations[k]}`);
  }
  const step = 24 / intervals;
  const probabilities = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let sum = 0;
    for (let i = 0; i <= intervals; i++) {
      const t = -12 + i * step;
      let integrand = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
      for (let j = 0; j < count && integrand > 0; j++) {
        if (j !== k) integrand *= standardNormalCdf((means[k]! - means[j]! + deviations[k]! * t) / deviations[j]!);
      }
      sum += (i === 0 || i === intervals ? 1 : i % 2 === 1 ? 4 : 2) * integrand;
    }
    probabilities[k] = (sum * step) / 3;
  }
  return probabilities;
}

/**
 * Exact P(arm k has the highest draw) for independent pₖ ~ Beta(αₖ, βₖ), αₖ, βₖ ≥ 1:
 * P(k) = ∫₀¹ fₖ(p) Πⱼ≠ₖ Fⱼ(p) dp, by the midpoint rule on `cells` equal cells of [0, 1]. Each density
 * is evaluated as exp((α−1) ln p + (β−1) ln(1−p)) up to a constant and normalised to unit mass over the
 * cells, and each Fⱼ at a midpoint is the mass of the cells before plus half its own; the error is
 * O(cells⁻²) relative to the curvature of the densities. Cost O(cells·K²).
 * @throws RangeError on a parameter below 1 (the density would be unbounded at an end).
 */
export function betaArgmaxProbabilities(posteriors: readonly { alpha: number; beta: number }[], cells = 200_000): Float64Array {
  const masses = posteriors.map(({ alpha, beta }, k) => {
    if (!(alpha >= 1 && beta >= 1)) throw new RangeError(`posterior ${k} must have alpha, beta >= 1, got ${alpha}, ${beta}`);
    const logDensity = Float64Array.from({ length: cells }, (_, i) => {
      const p = (i + 0.5) / cells;
      return (alpha - 1) * Math.log(p) + (beta - 1) * Math.log1p(-p);
    });
    let peak = -Infinity;
    for (const value of logDensity) peak = Math.max(peak, value);
    const mass = logDensity.map((value) => Math.exp(value - peak));
    const total = mass.reduce((sum, value) => sum + value, 0);
    return mass.map((value) => value / total);
  });
  const cumulative = masses.map((mass) => {
    let before = 0;
    return mass.map((value) => {
      const midpoint = before + value / 2;
      before += value;
      return midpoint;
    });
  });
  return Float64Array.from(masses, (mass, k) => {
    let sum = 0;
    for (let i = 0; i < cells; i++) {
      let term = mass[i]!;
      for (let j = 0; j < masses.length && term > 0; j++) if (j !== k) term *= cumulative[j]![i]!;
      sum += term;
    }
    return sum;
  });
}
