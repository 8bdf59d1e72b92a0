/** What the runs of one policy arm over several population seeds say together. */
export interface SeedSummary {
  policy: string;
  /** Each seed's ratio r̄_service / r̄_in-process, in seed order. */
  ratios: number[];
  /** ρ̄ = (1/S) Σₛ ρₛ over the S seeds. */
  mean: number;
  /** Sample standard deviation √(Σₛ (ρₛ − ρ̄)² / (S − 1)); 0 for a single seed. */
  sd: number;
  min: number;
  max: number;
  /** Whether the bar applies: not to a control that learns nothing, nor to a stress scenario. */
  gated: boolean;
  /** `mean ≥ bar`, or true when not gated. */
  passes: boolean;
}

/**
 * Summarises one policy arm's service/in-process ratios over population seeds. The bar applies to the
 * mean, not to each seed: one run's ratio carries the luck of a single learning path (a greedy learner
 * that locks onto a second-best arm early keeps it), so the mean of a few seeds measures "the service
 * reaches the bar of the in-process reward" with a spread that one run cannot show.
 * @param bar the least mean ratio that passes, in (0, 1].
 * @throws RangeError when there is no ratio, a ratio is not a number ≥ 0, or `bar` is out of range.
 */
export function summariseSeeds(policy: string, ratios: readonly number[], options: { gated: boolean; bar: number }): SeedSummary {
  if (ratios.length === 0) throw new RangeError(`policy arm ${policy} has no seeds`);
  const bad = ratios.find((ratio) => !(ratio >= 0));
  if (bad !== undefined) throw new RangeError(`policy arm ${policy}: a ratio must be a number ≥ 0, got ${bad}`);
  if (!(options.bar > 0 && options.bar <= 1)) throw new RangeError(`bar must be in (0, 1], got ${options.bar}`);
  const mean = ratios.reduce((sum, ratio) => sum + ratio, 0) / ratios.length;
  const squares = ratios.reduce((sum, ratio) => sum + (ratio - mean) ** 2, 0);
  return {
    policy,
    ratios: [...ratios],
    mean,
    sd: ratios.length > 1 ? Math.sqrt(squares / (ratios.length - 1)) : 0,
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    gated: options.gated,
    passes: !options.gated || mean >= options.bar,
  };
}

/**
 * The pointwise mean of several learning curves, c̄ₜ = (1/S) Σₛ cₛ,ₜ for t = 1 … minₛ nₛ: each seed gives
 * a policy arm a slightly different number of decisions, so the curves are cut to the shortest.
 * @throws RangeError when there is no curve.
 */
export function meanCurve(curves: readonly ArrayLike<number>[]): Float64Array {
  if (curves.length === 0) throw new RangeError('a mean curve needs at least one curve');
  const mean = new Float64Array(Math.min(...curves.map((curve) => curve.length)));
  for (let t = 0; t < mean.length; t++) {
    let sum = 0;
    for (const curve of curves) sum += curve[t]!;
    mean[t] = sum / curves.length;
  }
  return mean;
}
