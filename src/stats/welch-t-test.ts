import { sampleMean, sampleVariance, type SampleSummary } from './sample-summary.js';
import { studentTTwoSidedPValue } from './student-t.js';

export interface TestResult {
  /** The test's name as shown to readers. */
  test: 'welch-t' | 'two-proportion-z';
  statistic: number;
  pValue: number;
}

/**
 * Welch's unequal-variance t-test of H₀: μ_A = μ_B. t = (x̄_A − x̄_B) / √(s²_A/n_A + s²_B/n_B), with
 * Welch–Satterthwaite degrees of freedom ν = (s²_A/n_A + s²_B/n_B)² / ((s²_A/n_A)²/(n_A − 1) + (s²_B/n_B)²/(n_B − 1)),
 * p = P(|T_ν| ≥ |t|). Welch, "The generalization of Student's problem when several different population
 * variances are involved", Biometrika (1947).
 * @returns NaN statistic and p-value when either sample has fewer than 2 values or both variances are 0.
 */
export function welchTTest(a: SampleSummary, b: SampleSummary): TestResult & { degreesOfFreedom: number } {
  const varianceA = sampleVariance(a) / a.count;
  const varianceB = sampleVariance(b) / b.count;
  const standardError = Math.sqrt(varianceA + varianceB);
  if (!(standardError > 0)) return { test: 'welch-t', statistic: Number.NaN, pValue: Number.NaN, degreesOfFreedom: Number.NaN };
  const statistic = (sampleMean(a) - sampleMean(b)) / standardError;
  const degreesOfFreedom =
    (varianceA + varianceB) ** 2 / (varianceA ** 2 / (a.count - 1) + varianceB ** 2 / (b.count - 1));
  return { test: 'welch-t', statistic, pValue: studentTTwoSidedPValue(statistic, degreesOfFreedom), degreesOfFreedom };
}
