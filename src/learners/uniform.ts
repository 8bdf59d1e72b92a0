import type { Random } from '../stats/random.js';
import { ContextFreeLearner } from './context-free-learner.js';
import type { ForgettingClock } from './forgetting-clock.js';
import { checkCandidates, checkReward } from './learner.js';

/**
 * The random control: every candidate with probability 1/K. It learns nothing that changes its
 * decisions; its statistics [n, Σ r] only count what it saw, so its arm reports like the others.
 */
export class Uniform extends ContextFreeLearner {
  readonly kind = 'uniform' as const;

  constructor(clock: ForgettingClock) {
    super(2, clock);
  }

  distribution(_context: Float64Array, candidates: readonly string[], _random?: Random): Float64Array {
    checkCandidates(candidates);
    return new Float64Array(candidates.length).fill(1 / candidates.length);
  }

  increment(_context: Float64Array, reward: number, _random?: Random, _step?: number): Float64Array {
    checkReward(reward);
    return Float64Array.of(1, reward);
  }
}
