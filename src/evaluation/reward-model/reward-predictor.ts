import type { SourceRound } from '../inputs/round-source.js';

/**
 * A reward model q̂(xᵢ, a) walked along the log once in log order: `next` is called exactly once per round
 * with the actions of the target's distribution and returns q̂(xᵢ, a) for each of them; `finish` after the
 * last round.
 */
export interface RewardPredictor {
  next(round: SourceRound, actions: readonly string[]): Promise<Float64Array> | Float64Array;
  finish(): Promise<void> | void;
}
