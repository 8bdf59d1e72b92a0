import { seededRandom } from '../stats/random.js';
import { BlockBootstrap, DEFAULT_BOOTSTRAP_BLOCKS } from './bootstrap.js';
import { estimateWarnings, WeightSums } from './diagnostics.js';
import { createEstimator } from './estimators/create-estimator.js';
import type { Estimator, RewardModelField } from './estimators/estimator.js';
import type { EstimateResult, EstimatorSpec, EvaluationResult, EvaluationRound } from './evaluation-types.js';
import { deltaMethodInterval, quantileSorted, twoSidedNormalQuantile } from './intervals.js';

export { parseEstimatorSpecs } from './estimators/parse-estimator-specs.js';

export interface EvaluationOptions {
  estimators: EstimatorSpec[];
  /** Bootstrap resamples, a whole number >= 0 (0 skips the bootstrap interval); default 1000. */
  bootstrap?: number;
  /** Seed of the bootstrap's random source; the same seed and rows give the same interval. */
  seed: string;
  /** Confidence level of both intervals, in (0, 1); default 0.95. */
  level?: number;
  /** Most blocks the bootstrap keeps (even, >= 2); up to this many rows it is the exact row bootstrap. Default 20 000. */
  maxBootstrapBlocks?: number;
}

/**
 * Streams evaluation rounds through a set of off-policy estimators and returns each estimate with a
 * normal (delta-method) and a percentile bootstrap interval, weight diagnostics and warnings.
 *
 * Every estimator is V̂ = g(m̄) with m̄ the mean of a few per-round terms (see `Estimator`), so the
 * accumulator keeps, for all estimators together, D = Σ termCount numbers per running quantity:
 * compensated (Neumaier 1974) sums Σtᵢ for the values; Welford (1962) means and co-moments
 * Σ(tᵢ − m̄)(tᵢ − m̄)ᵀ within each estimator for the delta method; and the bounded block store of
 * {@link BlockBootstrap} (at most `maxBootstrapBlocks` × D numbers) for the bootstrap.
 * `add` is O(D) time and allocates nothing; memory does not grow with the number of rows.
 *
 * The rows are assumed i.i.d. draws from the logging process (the standard off-policy setting).
 */
export class EvaluationAccumulator {
  private readonly estimators: Estimator[];
  private readonly offsets: Int32Array;
  private readonly termCounts: Int32Array;
  private readonly dimension: number;
  private readonly resamples: number;
  private readonly seed: string;
  private readonly level: number;
  private readonly required: Record<RewardModelField, string>;
  private readonly checksReplay: boolean;

  private readonly terms: Float64Array;
  private readonly sums: Float64Array;
  private readonly compensation: Float64Array;
  private readonly means: Float64Array;
  private readonly deltas: Float64Array;
  private readonly comoments: Float64Array;
  private readonly comomentOffsets: Int32Array;
  private readonly effectiveWeights: WeightSums[];
  private readonly importanceWeights = new WeightSums();
  private readonly blocks: BlockBootstrap;
  private rows = 0;
  private unsupportedMass = 0;
  private unsupportedRows = 0;
  private minPropensity = Number.POSITIVE_INFINITY;
  private maxPropensity = Number.NEGATIVE_INFINITY;

  /**
   * @throws RangeError when the estimator list is empty, names an unknown estimator, has a bad or missing
   * parameter or the same estimator twice, or when bootstrap, seed, level or maxBootstrapBlocks is out of range.
   */
  constructor(options: EvaluationOptions) {
    const { estimators: specs, bootstrap = 1000, seed, level = 0.95 } = options;
    if (!Array.isArray(specs) || specs.length === 0) throw new RangeError('estimators must list at least one estimator');
    if (!Number.isInteger(bootstrap) || bootstrap < 0) {
      throw new RangeError(`bootstrap must be a whole number of resamples >= 0, got ${bootstrap}`);
    }
    if (typeof seed !== 'string' || seed === '') throw new RangeError('seed must be a non-empty string');
    if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
    const seen = new Set<string>();
    for (const spec of specs) {
      const key = `${spec.name}:${spec.parameter ?? ''}`;
      if (seen.has(key)) throw new RangeError(`estimator ${key.replace(/:$/, '')} is listed twice`);
      seen.add(key);
    }
    this.estimators = specs.map(createEstimator);
    this.resamples = bootstrap;
    this.seed = seed;
    this.level = level;

    const count = this.estimators.length;
    this.offsets = new Int32Array(count);
    this.termCounts = new Int32Array(count);
    this.comomentOffsets = new Int32Array(count);
    let dimension = 0;
    let comomentSize = 0;
    this.estimators.forEach((estimator, e) => {
      this.offsets[e] = dimension;
      this.termCounts[e] = estimator.termCount;
      this.comomentOffsets[e] = comomentSize;
      dimension += estimator.termCount;
      comomentSize += estimator.termCount * estimator.termCount;
    });
    this.dimension = dimension;
    this.terms = new Float64Array(dimension);
    this.sums = new Float64Array(dimension);
    this.compensation = new Float64Array(dimension);
    this.means = new Float64Array(dimension);
    this.deltas = new Float64Array(dimension);
    this.comoments = new Float64Array(comomentSize);
    this.effectiveWeights = this.estimators.map(() => new WeightSums());
    this.blocks = new BlockBootstrap(dimension, options.maxBootstrapBlocks ?? DEFAULT_BOOTSTRAP_BLOCKS);

    const requiredBy = (field: RewardModelField): string =>
      this.estimators
        .filter((e) => e.requiredFields.includes(field))
        .map((e) => e.name)
        .filter((name, i, all) => all.indexOf(name) === i)
        .join(', ');
    this.required = { directValue: requiredBy('directValue'), loggedActionPrediction: requiredBy('loggedActionPrediction') };
    this.checksReplay = this.estimators.some((e) => e.kind === 'replay');
  }

  /**
   * Adds one round. Checks it first and changes nothing when it is invalid.
   * @throws RangeError naming the field and the 0-based row index: propensity outside (0, 1],
   * targetProbability outside [0, 1] (or not 0 or 1 when replay is requested), reward not finite,
   * unsupportedTargetMass outside [0, 1], or a reward-model field missing for an estimator that needs it.
   */
  add(round: EvaluationRound): void {
    this.check(round);
    const weight = round.targetProbability / round.propensity;
    const n = ++this.rows;
    const { terms, sums, compensation, means, deltas, comoments, offsets, termCounts, comomentOffsets } = this;
    const estimators = this.estimators;
    for (let e = 0; e < estimators.length; e++) {
      const estimator = estimators[e]!;
      estimator.writeTerms(round, weight, terms, offsets[e]!);
      this.effectiveWeights[e]!.add(estimator.effectiveWeight(round, weight));
    }
    for (let j = 0; j < terms.length; j++) {
      const t = terms[j]!;
      const s = sums[j]!;
      const total = s + t;
      compensation[j]! += Math.abs(s) >= Math.abs(t) ? s - total + t : t - total + s;
      sums[j] = total;
      const delta = t - means[j]!;
      deltas[j] = delta;
      means[j]! += delta / n;
    }
    for (let e = 0; e < termCounts.length; e++) {
      const d = termCounts[e]!;
      const offset = offsets[e]!;
      let c = comomentOffsets[e]!;
      for (let j = 0; j < d; j++) {
        const deltaJ = deltas[offset + j]!;
        for (let k = 0; k < d; k++) comoments[c++]! += deltaJ * (terms[offset + k]! - means[offset + k]!);
      }
    }
    this.blocks.add(terms);
    this.importanceWeights.add(weight);
    if (round.propensity < this.minPropensity) this.minPropensity = round.propensity;
    if (round.propensity > this.maxPropensity) this.maxPropensity = round.propensity;
    if (round.unsupportedTargetMass !== undefined) {
      this.unsupportedMass += round.unsupportedTargetMass;
      this.unsupportedRows++;
    }
  }

  private check(round: EvaluationRound): void {
    const row = this.rows;
    const { reward, propensity, targetProbability, unsupportedTargetMass } = round;
    if (typeof reward !== 'number' || !Number.isFinite(reward)) {
      throw new RangeError(`row ${row}: reward must be a finite number, got ${String(reward)}`);
    }
    if (typeof propensity !== 'number' || !(propensity > 0 && propensity <= 1)) {
      throw new RangeError(`row ${row}: propensity must be in (0, 1], got ${String(propensity)}`);
    }
    if (typeof targetProbability !== 'number' || !(targetProbability >= 0 && targetProbability <= 1)) {
      throw new RangeError(`row ${row}: targetProbability must be in [0, 1], got ${String(targetProbability)}`);
    }
    if (this.checksReplay && targetProbability !== 0 && targetProbability !== 1) {
      throw new RangeError(
        `row ${row}: targetProbability must be 0 or 1 for replay (did the target policy choose the logged action?), got ${targetProbability}`,
      );
    }
    if (
      unsupportedTargetMass !== undefined &&
      (typeof unsupportedTargetMass !== 'number' || !(unsupportedTargetMass >= 0 && unsupportedTargetMass <= 1))
    ) {
      throw new RangeError(`row ${row}: unsupportedTargetMass must be in [0, 1], got ${String(unsupportedTargetMass)}`);
    }
    const { directValue, loggedActionPrediction } = round;
    if (this.required.directValue !== '' && (typeof directValue !== 'number' || !Number.isFinite(directValue))) {
      this.missingModelField(row, 'directValue', directValue);
    }
    if (
      this.required.loggedActionPrediction !== '' &&
      (typeof loggedActionPrediction !== 'number' || !Number.isFinite(loggedActionPrediction))
    ) {
      this.missingModelField(row, 'loggedActionPrediction', loggedActionPrediction);
    }
  }

  private missingModelField(row: number, field: RewardModelField, value: unknown): never {
    throw new RangeError(
      `row ${row}: ${field} must be a finite number (needed by ${this.required[field]}), got ${String(value)}`,
    );
  }

  /** The estimates so far. Does not change the accumulator: rows may still be added, and the same seed gives the same intervals. */
  result(): EvaluationResult {
    const n = this.rows;
    const means = new Float64Array(this.dimension);
    for (let j = 0; j < this.dimension; j++) means[j] = (this.sums[j]! + this.compensation[j]!) / n;
    const z = twoSidedNormalQuantile(this.level);
    const bootstrapIntervals = this.bootstrapIntervals();
    const supportDeficiency = this.unsupportedRows === 0 ? 0 : this.unsupportedMass / this.unsupportedRows;
    const minPropensity = n === 0 ? Number.NaN : this.minPropensity;
    const maxPropensity = n === 0 ? Number.NaN : this.maxPropensity;

    const estimates = this.estimators.map((estimator, e): EstimateResult => {
      const offset = this.offsets[e]!;
      const d = estimator.termCount;
      const value = n === 0 ? Number.NaN : estimator.value(means, offset);
      const gradient = new Float64Array(d);
      estimator.gradient(means, offset, gradient);
      const base = this.comomentOffsets[e]!;
      const normal = deltaMethodInterval(value, gradient, this.comoments.subarray(base, base + d * d), d, n, z);
      const weights = this.effectiveWeights[e]!;
      return {
        estimator: estimator.name,
        ...(estimator.parameter === undefined ? {} : { parameter: estimator.parameter }),
        value,
        ci: bootstrapIntervals[e] ?? [Number.NaN, Number.NaN],
        normalCi: [normal.low, normal.high],
        standardError: normal.standardError,
        ess: weights.ess,
        maxWeight: weights.max,
        warnings: estimateWarnings({
          estimator,
          rows: n,
          value,
          effectiveWeights: weights,
          importanceWeights: this.importanceWeights,
          supportDeficiency,
          minimumPropensity: minPropensity,
          maximumPropensity: maxPropensity,
        }),
      };
    });
    return {
      rows: n,
      level: this.level,
      bootstrap: { resamples: this.resamples, blocks: this.blocks.blocks, rowsPerBlock: this.blocks.rowsPerBlock },
      estimates,
      diagnostics: {
        ess: this.importanceWeights.ess,
        maxWeight: this.importanceWeights.max,
        meanWeight: this.importanceWeights.mean,
        supportDeficiency,
        supportDeficiencyRows: this.unsupportedRows,
        minPropensity,
        maxPropensity,
      },
    };
  }

  /** Percentile bootstrap interval per estimator; resamples whose value is undefined (NaN) are left out. */
  private bootstrapIntervals(): Array<[number, number]> {
    const resamples = this.resamples;
    if (resamples === 0 || this.rows === 0) return [];
    const count = this.estimators.length;
    const values = new Float64Array(resamples * count);
    this.blocks.resample(resamples, seededRandom(this.seed), (r, means) => {
      for (let e = 0; e < count; e++) values[e * resamples + r] = this.estimators[e]!.value(means, this.offsets[e]!);
    });
    const alpha = 1 - this.level;
    return this.estimators.map((_, e) => {
      const defined = values.subarray(e * resamples, (e + 1) * resamples).filter((v) => !Number.isNaN(v)).sort();
      if (defined.length === 0) return [Number.NaN, Number.NaN];
      return [quantileSorted(defined, alpha / 2), quantileSorted(defined, 1 - alpha / 2)];
    });
  }
}

/** Evaluates a finite or streamed sequence of rounds in one call; see {@link EvaluationAccumulator}. */
export function evaluate(rounds: Iterable<EvaluationRound>, options: EvaluationOptions): EvaluationResult {
  const accumulator = new EvaluationAccumulator(options);
  for (const round of rounds) accumulator.add(round);
  return accumulator.result();
}
