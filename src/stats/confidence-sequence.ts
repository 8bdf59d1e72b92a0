import type { IntervalEstimate } from './mean-interval.js';
import { sampleMean, type SampleSummary } from './sample-summary.js';

/**
 * The mixing precision ρ that makes {@link confidenceSequence} (nearly) tightest after n* observations:
 * ρ = σ²n* / (2 ln(1/α) + ln(1 + 2 ln(1/α))), σ = (b − a)/2 (Howard et al. 2021, their choice of ρ
 * for a target intrinsic time m = σ²n*). Numerically within 0.01 % of the optimal width at n*.
 */
export function mixingPrecision(optimizedFor: number, rewardRange: number, alpha: number): number {
  const logTerm = 2 * Math.log(1 / alpha);
  return ((rewardRange / 2) ** 2 * optimizedFor) / (logTerm + Math.log(1 + logTerm));
}

export interface ConfidenceSequenceOptions {
  /** 1 − α: the probability that the sequence covers the mean at every sample size at once, in (0, 1). */
  level: number;
  /** The reward range [a, b] ([0, 1] for binary rewards); the interval is clipped to it. */
  rewardMin: number;
  rewardMax: number;
  /** The tuning parameter n*: the sample size at which the sequence is (nearly) tightest; > 0. */
  optimizedFor: number;
}

/**
 * Always-valid (anytime) confidence sequence for the mean μ of i.i.d. rewards in a known range [a, b]:
 * the two-sided normal-mixture boundary of Howard, Ramdas, McAuliffe & Sekhon, "Time-uniform,
 * nonparametric, nonasymptotic confidence sequences", Ann. Statist. 49(2) (2021).
 *
 * With Sₜ = Σᵢ≤ₜ (Xᵢ − μ) and variance proxy σ² = (b − a)²/4 (Hoeffding's lemma: each Xᵢ − μ is
 * σ-sub-Gaussian), Vₜ = tσ²; mixing exp(λSₜ − λ²Vₜ/2) over λ ~ N(0, 1/ρ) gives the nonnegative
 * supermartingale Mₜ = √(ρ/(Vₜ + ρ)) · exp(Sₜ² / (2(Vₜ + ρ))), and Ville's inequality P(∃t: Mₜ ≥ 1/α) ≤ α
 * yields, simultaneously for all t with probability ≥ 1 − α,
 *   |x̄ₜ − μ| < √((Vₜ + ρ) · ln((Vₜ + ρ) / (ρα²))) / t.
 * So the interval may be looked at after every decision and the experiment stopped at any time without
 * inflating the error rate, unlike the fixed-horizon interval. Its width shrinks like √(ln t / t); it is
 * conservative for rewards whose variance is far below (b − a)²/4 (rare binary events).
 * The mean lies in [a, b], so the interval is intersected with it (still valid).
 * The tuning parameter ρ is set by {@link mixingPrecision} from `optimizedFor` (n*) and must not be
 * chosen after seeing the data.
 * @returns NaN bounds when n = 0.
 * @throws RangeError when level is not in (0, 1), rewardMax ≤ rewardMin, or optimizedFor is not positive.
 */
export function confidenceSequence(sample: SampleSummary, options: ConfidenceSequenceOptions): IntervalEstimate {
  const { level, rewardMin, rewardMax, optimizedFor } = options;
  const rewardRange = rewardMax - rewardMin;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (!(rewardRange > 0 && Number.isFinite(rewardRange))) throw new RangeError(`rewardMax must exceed rewardMin, got [${rewardMin}, ${rewardMax}]`);
  if (!(optimizedFor > 0 && Number.isFinite(optimizedFor))) throw new RangeError(`optimizedFor must be > 0, got ${optimizedFor}`);
  const estimate = sampleMean(sample);
  const t = sample.count;
  if (t === 0) return { estimate, low: Number.NaN, high: Number.NaN };
  const alpha = 1 - level;
  const rho = mixingPrecision(optimizedFor, rewardRange, alpha);
  const intrinsicTime = t * (rewardRange / 2) ** 2 + rho;
  const radius = Math.sqrt(intrinsicTime * Math.log(intrinsicTime / (rho * alpha * alpha))) / t;
  return { estimate, low: Math.max(rewardMin, estimate - radius), high: Math.min(rewardMax, estimate + radius) };
}
