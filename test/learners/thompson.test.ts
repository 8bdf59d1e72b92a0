import { describe, expect, it } from 'vitest';
import { ForgettingClock } from '../../src/learners/forgetting-clock.js';
import { BetaThompson } from '../../src/learners/thompson.js';
import { seededRandom } from '../../src/stats/random.js';

const none = new Float64Array(0);

describe('Beta-Bernoulli Thompson sampling', () => {
  it('keeps the Beta posterior Beta(α₀ + S, β₀ + F)', () => {
    const learner = new BetaThompson(new ForgettingClock(1), 2, 3, 100);
    const random = seededRandom('beta');
    for (const reward of [1, 1, 0, 1, 0, 0, 0]) learner.learn('a', none, reward, random);
    const { alpha, beta } = learner.posterior('a');
    expect([alpha, beta]).toEqual([5, 7]);
    expect(alpha / (alpha + beta)).toBeCloseTo(5 / 12, 15);
    expect(learner.posterior('unseen')).toEqual({ alpha: 2, beta: 3 });
  });

  it('turns a reward in [0, 1] into a Bernoulli trial with that success probability', () => {
    const learner = new BetaThompson(new ForgettingClock(1), 1, 1, 100);
    const random = seededRandom('bernoulli-trick');
    for (let t = 0; t < 20_000; t++) learner.learn('a', none, 0.3, random);
    const [n, successes, failures] = learner.statistics('a');
    expect(n).toBe(20_000);
    expect(successes! + failures!).toBe(20_000);
    // Binomial(20 000, 0.3): sd ≈ 64.8; 5 sd is a 1-in-3-million false failure.
    expect(Math.abs(successes! - 6_000)).toBeLessThan(5 * 64.8);
  });

  it('refuses a reward outside [0, 1]', () => {
    const learner = new BetaThompson(new ForgettingClock(1), 1, 1, 100);
    expect(() => learner.learn('a', none, 1.5, seededRandom('x'))).toThrow('reward must be in [0, 1], got 1.5');
    expect(learner.arms()).toEqual([]);
  });

  it('prefers the arm with the better posterior and sums to 1', () => {
    const learner = new BetaThompson(new ForgettingClock(1), 1, 1, 2000);
    learner.load('good', [100, 60, 40]);
    learner.load('bad', [100, 40, 60]);
    const probabilities = learner.distribution(none, ['bad', 'good']);
    expect(probabilities[0]! + probabilities[1]!).toBeCloseTo(1, 12);
    // P(Beta(61,41) > Beta(41,61)) ≈ 0.9976 (normal approximation of the difference).
    expect(probabilities[1]).toBeGreaterThan(0.99);
  });

  it('estimates once per posterior and candidate list, and again when a posterior moves', () => {
    const learner = new BetaThompson(new ForgettingClock(1), 1, 1, 500);
    learner.load('a', [10, 3, 7]);
    learner.load('b', [10, 4, 6]);
    const first = learner.distribution(none, ['a', 'b']);
    const replica = new BetaThompson(new ForgettingClock(1), 1, 1, 500);
    replica.load('a', [10, 3, 7]);
    replica.load('b', [10, 4, 6]);
    // Same posteriors → the same vector, on any replica, bit for bit.
    expect([...replica.distribution(none, ['a', 'b'])]).toEqual([...first]);
    // It is the estimate seeded by the candidates and their posteriors.
    expect([...learner.estimateDistribution(['a', 'b'], seededRandom('a:4:8|b:5:7'))]).toEqual([...first]);
    learner.learn('a', none, 1, seededRandom('r'));
    expect([...learner.distribution(none, ['a', 'b'])]).not.toEqual([...first]);
    expect([...learner.distribution(none, ['b', 'a'])]).toHaveLength(2);
  });
});
