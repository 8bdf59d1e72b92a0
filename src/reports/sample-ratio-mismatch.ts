import { chiSquareGoodnessOfFit } from '../stats/chi-square.js';
import type { SampleRatioMismatch } from './report-types.js';

/** A split this unlikely under the configured shares means assignment or logging is broken (Fabijan et al. 2019). */
export const SRM_THRESHOLD = 0.001;

/**
 * Sample-ratio-mismatch check: Pearson's chi-square goodness of fit of the decisions per configured
 * policy arm against nᵢ = n·shareᵢ, flagged when p < 0.001. Reference: Fabijan, Gupchup, Gupta et al.,
 * "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments", KDD 2019.
 * @param split the decisions and configured share of each configured policy arm.
 */
export function sampleRatioMismatch(split: ReadonlyArray<{ decisions: number; share: number }>): SampleRatioMismatch {
  const total = split.reduce((sum, { decisions }) => sum + decisions, 0);
  if (total === 0 || split.length < 2) {
    return { statistic: null, degreesOfFreedom: 0, pValue: null, threshold: SRM_THRESHOLD, flagged: false };
  }
  const { statistic, degreesOfFreedom, pValue } = chiSquareGoodnessOfFit(
    split.map(({ decisions }) => decisions),
    split.map(({ share }) => share * total),
  );
  return { statistic, degreesOfFreedom, pValue, threshold: SRM_THRESHOLD, flagged: pValue < SRM_THRESHOLD };
}
