import { sampleMean, sampleVariance, type SampleSummary } from './sample-summary.js';
import { studentTTwoSidedQuantile } from './student-t.js';

export interface IntervalEstimate {
  estimate: number;
  low: number;
  high: number;
}

/**
 * Fixed-horizon Student t interval for a mean: x̄ ± t_{(1+level)/2, n−1} · s/√n, with x̄ and s² from
 * {@link SampleSummary}. Exact for normal data, asymptotically exact otherwise (central limit theorem);
 * valid only when looked at once, at a sample size fixed in advance (see `confidenceSequence` for peeking).
 * Reference: Casella & Berger, "Statistical Inference", 2nd ed. (2002), §9.2.2.
 * @returns NaN bounds when n < 2.
 * @throws RangeError when level is not in (0, 1).
 */
export function meanInterval(sample: SampleSummary, level: number): IntervalEstimate {
  const estimate = sampleMean(sample);
  if (sample.count < 2) {
    if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
    return { estimate, low: Number.NaN, high: Number.NaN };
  }
  const halfWidth = studentTTwoSidedQuantile(level, sample.count - 1) * Math.sqrt(sampleVariance(sample) / sample.count);
  return { estimate, low: estimate - halfWidth, high: estimate + halfWidth };
}
