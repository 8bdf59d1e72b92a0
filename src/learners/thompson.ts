import { betaSample, type Random } from '../stats/random.js';
import { argmaxFrequencies } from './argmax-frequencies.js';
import { ContextFreeLearner } from './context-free-learner.js';
import type { ForgettingClock } from './forgetting-clock.js';
import { checkCandidates, checkReward } from './learner.js';

/**
 * Context-free Beta-Bernoulli Thompson sampling (Thompson 1933; Chapelle & Li, "An empirical evaluation
 * of Thompson sampling", NIPS 2011). Each arm's click rate has the posterior Beta(α₀ + S, β₀ + F) with
 * S, F the (discounted) successes and failures; the action distribution is the Monte Carlo estimate,
 * over M joint posterior draws, of the probability that each candidate's draw is the highest.
 *
 * Statistics per arm: [n, S, F]. A reward r ∈ [0, 1] that is not binary is turned into a Bernoulli trial
 * r̃ ~ Bernoulli(r) before the update (Agrawal & Goyal, "Analysis of Thompson sampling for the
 * multi-armed bandit problem", COLT 2012, Algorithm 2), which keeps the Beta posterior conjugate. The
 * trial is drawn from the `random` passed in, so a replay seeded from the decision reproduces it.
 */
export class BetaThompson extends ContextFreeLearner {
  readonly kind = 'thompson' as const;

  constructor(
    clock: ForgettingClock,
    readonly alpha0: number,
    readonly beta0: number,
    readonly draws: number,
  ) {
    super(3, clock);
    if (!(alpha0 > 0) || !Number.isFinite(alpha0)) throw new RangeError(`alpha0 must be > 0, got ${alpha0}`);
    if (!(beta0 > 0) || !Number.isFinite(beta0)) throw new RangeError(`beta0 must be > 0, got ${beta0}`);
    if (!Number.isInteger(draws) || draws < 1) throw new RangeError(`draws must be a positive integer, got ${draws}`);
  }

  /** The posterior Beta(α, β) of an arm at the current step. */
  posterior(arm: string): { alpha: number; beta: number } {
    const [, successes, failures] = this.table.get(arm);
    const scale = this.clock.scale();
    return { alpha: this.alpha0 + scale * successes!, beta: this.beta0 + scale * failures! };
  }

  distribution(_context: Float64Array, candidates: readonly string[], random: Random): Float64Array {
    checkCandidates(candidates);
    const posteriors = candidates.map((arm) => this.posterior(arm));
    const count = candidates.length;
    const scores = new Float64Array(this.draws * count);
    for (let m = 0; m < this.draws; m++) {
      posteriors.forEach(({ alpha, beta }, k) => {
        scores[m * count + k] = betaSample(random, alpha, beta);
      });
    }
    return argmaxFrequencies(scores, this.draws, count);
  }

  increment(_context: Float64Array, reward: number, random: Random, step = this.clock.now): Float64Array {
    checkReward(reward, 0, 1);
    const weight = this.clock.weight(step);
    const success = reward === 1 || (reward > 0 && random() < reward);
    return Float64Array.of(1, success ? weight : 0, success ? 0 : weight);
  }
}
