import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/learners/create-policy.js';
import { ForgettingClock } from '../../src/learners/forgetting-clock.js';
import { LinUcb } from '../../src/learners/lin-ucb.js';
import type { LearnerConfig } from '../../src/learners/learner-config.js';
import { seededRandom, standardNormal } from '../../src/stats/random.js';
import { maxRelativeError } from '../helpers/dense-algebra.js';

const dimension = 3;
const random = seededRandom('observations');
const observations = Array.from({ length: 300 }, (_, t) => ({
  arm: ['a', 'b', 'c'][t % 3]!,
  x: Float64Array.of(1, standardNormal(random), standardNormal(random)),
  reward: random() < 0.4 ? 1 : 0,
  step: Math.floor(t / 30),
  seed: `decision-${t}`,
}));

describe.each<LearnerConfig>([
  { kind: 'linucb', gamma: 0.9 },
  { kind: 'lints', gamma: 0.95 },
  { kind: 'thompson', gamma: 0.9 },
  { kind: 'thompson' },
])('statistics merge by addition ($kind, γ = $gamma)', (config) => {
  it('two replicas’ increments, merged in reverse order, equal one learner that saw everything', () => {
    const single = createPolicy(config, dimension).learner;
    const replicas = [createPolicy(config, dimension).learner, createPolicy(config, dimension).learner];
    const merged = createPolicy(config, dimension).learner;
    const increments: { arm: string; increment: Float64Array }[] = [];
    observations.forEach(({ arm, x, reward, step, seed }, t) => {
      single.learn(arm, x, reward, seededRandom(seed), step);
      increments.push({ arm, increment: replicas[t % 2]!.learn(arm, x, reward, seededRandom(seed), step) });
    });
    for (const { arm, increment } of increments.reverse()) merged.merge(arm, increment);
    for (const arm of ['a', 'b', 'c']) {
      expect(maxRelativeError(merged.statistics(arm), single.statistics(arm))).toBeLessThan(1e-12);
    }
  });
});

describe('forgetting', () => {
  it('weights an observation made s steps ago by γ^s, whatever the origin', () => {
    const clock = new ForgettingClock(0.5, 10);
    clock.advanceTo(13);
    expect(clock.weight(11) * clock.scale()).toBeCloseTo(0.25, 15);
    expect(clock.weight(13) * clock.scale()).toBeCloseTo(1, 15);
  });

  it('gives the cached posterior the same answer as a fresh one after the clock moves', () => {
    const learner = new LinUcb(dimension, 1, new ForgettingClock(0.8), 1, 'split');
    for (const { arm, x, reward, step } of observations) {
      learner.advanceTo(step);
      learner.learn(arm, x, reward);
    }
    const rebuilt = new LinUcb(dimension, 1, new ForgettingClock(0.8), 1, 'split');
    rebuilt.advanceTo(observations.at(-1)!.step);
    for (const arm of ['a', 'b', 'c']) rebuilt.load(arm, learner.statistics(arm));
    const x = Float64Array.of(1, 0.2, -0.4);
    for (const arm of ['a', 'b', 'c']) expect(learner.score(arm, x)).toBeCloseTo(rebuilt.score(arm, x), 12);
  });

  it('forgets: after a flip in which arm pays, the discounted learner follows faster', () => {
    const flip = (gamma: number) => {
      const learner = new LinUcb(1, 1, new ForgettingClock(gamma), 0, 'split');
      const one = Float64Array.of(1);
      for (let step = 0; step < 200; step++) {
        learner.advanceTo(step);
        learner.learn('a', one, step < 100 ? 1 : 0);
        learner.learn('b', one, step < 100 ? 0 : 1);
      }
      return learner.distribution(one, ['a', 'b'])[1];
    };
    expect(flip(0.9)).toBe(1);
    expect(flip(1)).toBe(0.5);
  });

  it('refuses an increment that would not be finite', () => {
    const learner = new LinUcb(dimension, 1, new ForgettingClock(1), 1, 'split');
    const increment = learner.increment(Float64Array.of(1, 2, 3), 1);
    increment[4] = Number.NaN;
    expect(() => learner.merge('a', increment)).toThrow('statistics of arm "a" hold a non-finite value at 4');
    expect(learner.arms()).toEqual([]);
  });
});
