import type { Random } from '../stats/random.js';
import { withExplorationFloor } from './exploration-floor.js';
import type { Learner } from './learner.js';
import { sampleIndex } from './sample-index.js';

export interface Decision {
  /** π(a | x) of every candidate, aligned with the candidates, after the exploration floor. */
  probabilities: Float64Array;
  /** The index of the chosen candidate, drawn from exactly `probabilities`. */
  chosen: number;
}

/**
 * A policy arm's decision rule: its learner plus the exploration floor ε. The arm is drawn from the very
 * vector that is returned (and logged), with the same seeded `random` that fed any Monte Carlo estimate,
 * so the logged propensity is the probability with which the arm was in fact chosen and a decision
 * replays bit for bit from its seed.
 */
export class Policy {
  constructor(
    readonly learner: Learner,
    readonly epsilon: number,
  ) {
    if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilon must be in [0, 1], got ${epsilon}`);
  }

  distribution(context: Float64Array, candidates: readonly string[], random: Random): Float64Array {
    return withExplorationFloor(this.learner.distribution(context, candidates, random), this.epsilon);
  }

  decide(context: Float64Array, candidates: readonly string[], random: Random): Decision {
    const probabilities = this.distribution(context, candidates, random);
    return { probabilities, chosen: sampleIndex(probabilities, random) };
  }
}
