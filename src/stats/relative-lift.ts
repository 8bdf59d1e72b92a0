import type { IntervalEstimate } from './mean-interval.js';
import { sampleMean, sampleVariance, type SampleSummary } from './sample-summary.js';

/**
 * Relative lift of a treatment mean over a control mean, L = x̄_T / x̄_C − 1, with its normal interval by
 * the delta method for independent samples: with SE²_T = s²_T/n_T and SE²_C = s²_C/n_C,
 * SE²(L) ≈ SE²_T / x̄²_C + x̄²_T · SE²_C / x̄⁴_C, interval L ± z·SE(L). Good when x̄_C is many standard
 * errors from 0; near 0 the ratio's distribution is far from normal (Fieller's interval would then be
 * unbounded) and the interval should not be trusted.
 * References: Kohavi, Tang & Xu, "Trustworthy Online Controlled Experiments" (2020), on the variance of the
 * percent delta; Casella & Berger, "Statistical Inference", 2nd ed. (2002), §5.5.4 (the delta method).
 * @param z the two-sided normal quantile of the level (1.959964 for 95 %).
 * @returns NaN bounds when either sample has fewer than 2 values or x̄_C = 0.
 */
export function relativeLift(treatment: SampleSummary, control: SampleSummary, z: number): IntervalEstimate {
  const meanT = sampleMean(treatment);
  const meanC = sampleMean(control);
  const estimate = meanC === 0 ? Number.NaN : meanT / meanC - 1;
  const varianceT = sampleVariance(treatment) / treatment.count;
  const varianceC = sampleVariance(control) / control.count;
  const standardError = Math.sqrt(varianceT / meanC ** 2 + (meanT ** 2 * varianceC) / meanC ** 4);
  if (!Number.isFinite(estimate) || !Number.isFinite(standardError)) return { estimate, low: Number.NaN, high: Number.NaN };
  return { estimate, low: estimate - z * standardError, high: estimate + z * standardError };
}
