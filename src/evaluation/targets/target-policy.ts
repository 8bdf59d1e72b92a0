import type { SourceRound } from '../inputs/round-source.js';

/** π_e(· | xᵢ) of one round: a probability per action, aligned with `actions`. */
export interface TargetDistribution {
  actions: readonly string[];
  probabilities: ArrayLike<number>;
}

/**
 * A policy being evaluated, walked along the log once in log order. `next` is called exactly once per
 * round and returns π_e(· | xᵢ) before the policy has seen rᵢ; a learning target learns from the round
 * afterwards, inside the same call. `finish` is called after the last round (a lock-step file then checks
 * it has no rows left).
 */
export interface TargetPolicy {
  /** A name for reports, e.g. `home/linucb (ips-online)`. */
  readonly label: string;
  next(round: SourceRound): Promise<TargetDistribution> | TargetDistribution;
  finish(): Promise<void> | void;
  /** Plain-words caveats of the mode (e.g. the bias of learning from another policy's data). */
  readonly warnings: readonly string[];
}
