import type { SourceRound } from '../inputs/round-source.js';

/**
 * A reward model q̂(xᵢ, a) walked along the log once in log order: `next` is called exactly once per round
 * with the actions of the target's distribution and returns q̂(xᵢ, a) for each of them — written into
 * `into` (at least `actions.length` long) when given, so a caller on the hot path allocates nothing, else
 * in a new array; `finish` after the last round. `next` may answer synchronously, and a caller should
 * only await when it returns a promise.
 */
export interface RewardPredictor {
  next(round: SourceRound, actions: readonly string[], into?: Float64Array): Promise<Float64Array> | Float64Array;
  finish(): Promise<void> | void;
}
