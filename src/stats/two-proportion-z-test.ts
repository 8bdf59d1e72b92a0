import { twoSidedNormalPValue } from './normal-p-value.js';
import type { TestResult } from './welch-t-test.js';

/**
 * Pooled two-proportion z-test of H₀: p_A = p_B for binary outcomes: p̂ = (x_A + x_B)/(n_A + n_B),
 * z = (x_A/n_A − x_B/n_B) / √(p̂(1 − p̂)(1/n_A + 1/n_B)), p = P(|Z| ≥ |z|). Equivalent to Pearson's
 * chi-square test of the 2×2 table without continuity correction (z² = χ²). Agresti, "Categorical Data
 * Analysis", 3rd ed. (2013), §3.1.
 * @param successesA x_A, the number of rewards equal to 1 among n_A.
 * @returns NaN statistic and p-value when a sample is empty or p̂ is 0 or 1.
 * @throws RangeError when a count is negative or successes exceed trials.
 */
export function twoProportionZTest(successesA: number, trialsA: number, successesB: number, trialsB: number): TestResult {
  for (const [name, successes, trials] of [['A', successesA, trialsA], ['B', successesB, trialsB]] as const) {
    if (!(trials >= 0 && successes >= 0 && successes <= trials)) {
      throw new RangeError(`sample ${name}: successes must be in [0, trials], got ${successes} of ${trials}`);
    }
  }
  const pooled = (successesA + successesB) / (trialsA + trialsB);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / trialsA + 1 / trialsB));
  if (trialsA === 0 || trialsB === 0 || !(standardError > 0)) return { test: 'two-proportion-z', statistic: Number.NaN, pValue: Number.NaN };
  const statistic = (successesA / trialsA - successesB / trialsB) / standardError;
  return { test: 'two-proportion-z', statistic, pValue: twoSidedNormalPValue(statistic) };
}
