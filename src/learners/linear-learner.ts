import { ArmStatistics } from './arm-statistics.js';
import { ForgettingClock } from './forgetting-clock.js';
import type { Random } from '../stats/random.js';
import type { LearnerKind } from './learner-config.js';
import { checkContext, checkReward, type Learner } from './learner.js';
import { LinearPosterior, linearIncrement, linearStatisticsLength } from './linear-posterior.js';

/**
 * What the disjoint linear learners (LinUCB, LinTS) share: each arm's additive statistics and its cached
 * ridge posterior; the subclasses differ only in how they turn posteriors into a distribution. A local observation updates the cached factor in O(d²); a merged increment or a
 * loaded snapshot drops the arm's cache, which is rebuilt in O(d³) on next use.
 */
export abstract class LinearLearner implements Learner {
  abstract readonly kind: LearnerKind;
  readonly statisticsLength: number;
  private readonly table: ArmStatistics;
  private readonly posteriors = new Map<string, LinearPosterior>();

  constructor(
    readonly dimension: number,
    readonly lambda: number,
    readonly clock: ForgettingClock,
  ) {
    if (!Number.isInteger(dimension) || dimension < 1) throw new RangeError(`dimension must be a positive integer, got ${dimension}`);
    if (!(lambda > 0) || !Number.isFinite(lambda)) throw new RangeError(`lambda must be > 0, got ${lambda}`);
    this.statisticsLength = linearStatisticsLength(dimension);
    this.table = new ArmStatistics(this.statisticsLength);
  }

  abstract distribution(context: Float64Array, candidates: readonly string[], random: Random): Float64Array;

  /** The arm's posterior; an arm never seen gets the prior A = λI, b = 0. */
  posterior(arm: string): LinearPosterior {
    let posterior = this.posteriors.get(arm);
    if (!posterior) {
      posterior = LinearPosterior.fromStatistics(this.table.get(arm), this.dimension, this.lambda, this.clock.scale());
      this.posteriors.set(arm, posterior);
    }
    return posterior;
  }

  increment(context: Float64Array, reward: number, _random?: Random, step = this.clock.now): Float64Array {
    checkContext(context, this.dimension);
    checkReward(reward);
    return linearIncrement(context, reward, this.clock.weight(step));
  }

  learn(arm: string, context: Float64Array, reward: number, _random?: Random, step = this.clock.now): Float64Array {
    const increment = this.increment(context, reward, undefined, step);
    const posterior = this.posteriors.get(arm);
    this.table.add(arm, increment);
    posterior?.observe(context, reward, this.clock.weight(step) * this.clock.scale());
    return increment;
  }

  merge(arm: string, increment: ArrayLike<number>): void {
    this.table.add(arm, increment);
    this.posteriors.delete(arm);
  }

  load(arm: string, statistics: ArrayLike<number>): void {
    this.table.set(arm, statistics);
    this.posteriors.delete(arm);
  }

  statistics(arm: string): Float64Array {
    return Float64Array.from(this.table.get(arm));
  }

  arms(): string[] {
    return this.table.arms();
  }

  advanceTo(step: number): void {
    if (this.clock.advanceTo(step)) this.posteriors.clear();
  }
}
