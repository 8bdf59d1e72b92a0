import { ForgettingClock } from './forgetting-clock.js';
import { DEFAULT_LINTS_DRAWS, DEFAULT_THOMPSON_DRAWS, type LearnerConfig } from './learner-config.js';
import type { Learner } from './learner.js';
import { LinTs } from './lin-ts.js';
import { LinUcb } from './lin-ucb.js';
import { Policy } from './policy.js';
import { BetaThompson } from './thompson.js';
import { Uniform } from './uniform.js';

/**
 * Builds a policy arm's learner and exploration floor from its declared configuration, filling the
 * documented defaults (ε = 0, γ = 1, λ = 1, α₀ = β₀ = 1, LinUCB α = 1, LinTS v = 0.25, the default draws M).
 * `dimension` is the encoded context length; `origin` the forgetting clock's origin step.
 * @throws RangeError naming the parameter that is out of range.
 */
export function createPolicy(config: LearnerConfig, dimension: number, origin = 0): Policy {
  if (config.kind === 'uniform') return new Policy(new Uniform(new ForgettingClock(1, origin)), 0);
  const clock = new ForgettingClock(config.gamma ?? 1, origin);
  return new Policy(createLearner(config, dimension, clock), config.epsilon ?? 0);
}

function createLearner(config: Exclude<LearnerConfig, { kind: 'uniform' }>, dimension: number, clock: ForgettingClock): Learner {
  switch (config.kind) {
    case 'thompson':
      return new BetaThompson(clock, config.alpha0 ?? 1, config.beta0 ?? 1, config.draws ?? DEFAULT_THOMPSON_DRAWS);
    case 'lints':
      return new LinTs(dimension, config.lambda ?? 1, clock, config.v ?? 0.25, config.draws ?? DEFAULT_LINTS_DRAWS);
    case 'linucb':
      return new LinUcb(dimension, config.lambda ?? 1, clock, config.alpha ?? 1, config.tieBreak ?? 'split');
  }
}
