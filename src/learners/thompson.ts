import { betaSample, seededRandom, type Random } from '../stats/random.js';
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
 * That distribution depends on nothing but the candidates' posteriors, so it is estimated once per
 * posterior and candidate list, from a generator seeded with exactly those (the candidates and their
 * α, β written in full), and reused until a posterior changes: every decision between two model
 * updates, on any replica, draws from the same vector, and replaying a decision needs only the model.
 *
 * Statistics per arm: [n, S, F]. A reward r ∈ [0, 1] that is not binary is turned into a Bernoulli trial
 * r̃ ~ Bernoulli(r) before the update (Agrawal & Goyal, "Analysis of Thompson sampling for the
 * multi-armed bandit problem", COLT 2012, Algorithm 2), which keeps the Beta posterior conjugate. The
 * trial is drawn from the `random` passed in, so a replay seeded from the decision reproduces it.
 */
/** Distinct (candidates, posteriors) estimates kept: a surface sees few candidate lists between two updates. */
const ESTIMATES_KEPT = 256;

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

  private readonly estimates = new Map<string, Float64Array>();

  distribution(_context: Float64Array, candidates: readonly string[]): Float64Array {
    checkCandidates(candidates);
    const key = candidates.map((arm) => {
      const { alpha, beta } = this.posterior(arm);
      return `${arm}:${alpha}:${beta}`;
    }).join('|');
    let estimate = this.estimates.get(key);
    if (!estimate) {
      estimate = this.estimateDistribution(candidates, seededRandom(key));
      if (this.estimates.size >= ESTIMATES_KEPT) this.estimates.delete(this.estimates.keys().next().value!);
      this.estimates.set(key, estimate);
    }
    return Float64Array.from(estimate);
  }

  /** The Monte Carlo estimate from M joint posterior draws made with `random` (uncached). */
  estimateDistribution(candidates: readonly string[], random: Random): Float64Array {
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
