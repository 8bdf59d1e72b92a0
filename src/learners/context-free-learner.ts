import type { Random } from '../stats/random.js';
import { ArmStatistics } from './arm-statistics.js';
import type { ForgettingClock } from './forgetting-clock.js';
import type { LearnerKind } from './learner-config.js';
import type { Learner } from './learner.js';

/**
 * What the learners that ignore the context (Beta-Bernoulli Thompson sampling, the uniform control)
 * share: per-arm statistics read directly, with no cached factor to keep in step.
 */
export abstract class ContextFreeLearner implements Learner {
  abstract readonly kind: LearnerKind;
  protected readonly table: ArmStatistics;

  constructor(
    readonly statisticsLength: number,
    readonly clock: ForgettingClock,
  ) {
    this.table = new ArmStatistics(statisticsLength);
  }

  abstract distribution(context: Float64Array, candidates: readonly string[], random: Random): Float64Array;

  abstract increment(context: Float64Array, reward: number, random: Random, step?: number): Float64Array;

  learn(arm: string, context: Float64Array, reward: number, random: Random, step?: number): Float64Array {
    const increment = this.increment(context, reward, random, step);
    this.table.add(arm, increment);
    return increment;
  }

  merge(arm: string, increment: ArrayLike<number>): void {
    this.table.add(arm, increment);
  }

  load(arm: string, statistics: ArrayLike<number>): void {
    this.table.set(arm, statistics);
  }

  statistics(arm: string): Float64Array {
    return Float64Array.from(this.table.get(arm));
  }

  arms(): string[] {
    return this.table.arms();
  }

  advanceTo(step: number): void {
    this.clock.advanceTo(step);
  }
}
