import type { Random } from '../stats/random.js';
import type { LearnerKind } from './learner-config.js';

/**
 * A bandit learner over a surface's arms: its action distribution for a context and candidate set,
 * and additive statistics that it learns from observed rewards.
 *
 * `distribution` is the learner's own π_learner(· | x) over exactly the given candidates (the
 * exploration floor is added by `decide`). It never mutates the learner; `random` feeds any Monte Carlo
 * estimate so that a seeded decision replays bit for bit.
 */
export interface Learner {
  readonly kind: LearnerKind;
  /** Length of every arm's statistics vector and of every increment. */
  readonly statisticsLength: number;
  /** π_learner(a | x) for each candidate, aligned with `candidates`, summing to 1. @throws RangeError */
  distribution(context: Float64Array, candidates: readonly string[], random: Random): Float64Array;
  /**
   * The additive increment of observing `reward` for a decision made at logical step `step` (default:
   * the learner's current step). Pure: the learner is unchanged. @throws RangeError on a bad reward or context.
   */
  increment(context: Float64Array, reward: number, random: Random, step?: number): Float64Array;
  /** Learns one observation at once (with the fast cached path) and returns its increment. */
  learn(arm: string, context: Float64Array, reward: number, random: Random, step?: number): Float64Array;
  /** Adds an increment computed elsewhere (another replica, the decision log). */
  merge(arm: string, increment: ArrayLike<number>): void;
  /** Replaces an arm's statistics with a snapshot from the shared model store. */
  load(arm: string, statistics: ArrayLike<number>): void;
  /** A copy of the arm's statistics (zeros for an arm never seen). */
  statistics(arm: string): Float64Array;
  /** The arms with statistics. */
  arms(): string[];
  /** Moves the forgetting clock to `step` (no effect with γ = 1). */
  advanceTo(step: number): void;
}

/** Checks the candidates once at entry: at least one, no duplicates. */
export function checkCandidates(candidates: readonly string[]): void {
  if (candidates.length === 0) throw new RangeError('candidates must not be empty');
  if (new Set(candidates).size !== candidates.length) throw new RangeError('candidates must be distinct');
}

/** Checks that a context vector has the learner's dimension and only finite entries. */
export function checkContext(context: ArrayLike<number>, dimension: number): void {
  if (context.length !== dimension) {
    throw new RangeError(`context must have dimension ${dimension}, got ${context.length}`);
  }
  for (let i = 0; i < context.length; i++) {
    if (!Number.isFinite(context[i])) throw new RangeError(`context holds a non-finite value at ${i}`);
  }
}

/** Checks that a reward is a finite number, within [min, max] when given. */
export function checkReward(reward: number, min = -Infinity, max = Infinity): void {
  if (!Number.isFinite(reward)) throw new RangeError(`reward must be a finite number, got ${reward}`);
  if (reward < min || reward > max) throw new RangeError(`reward must be in [${min}, ${max}], got ${reward}`);
}
