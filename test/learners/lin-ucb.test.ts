import { describe, expect, it } from 'vitest';
import { ForgettingClock } from '../../src/learners/forgetting-clock.js';
import { argmaxDistribution, LinUcb } from '../../src/learners/lin-ucb.js';
import { seededRandom, standardNormal } from '../../src/stats/random.js';
import { gaussianSolve, maxRelativeError, ridgeSystem } from '../helpers/dense-algebra.js';

function observations(count: number, dimension: number, seed: string) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    x: Float64Array.from({ length: dimension }, () => standardNormal(random)),
    r: random() < 0.3 ? 1 : 0,
  }));
}

describe('LinUCB', () => {
  const dimension = 5;
  const lambda = 2;
  const data = observations(200, dimension, 'linucb');
  const learner = new LinUcb(dimension, lambda, new ForgettingClock(1), 0.7, 'split');
  for (const { x, r } of data) learner.learn('a', x, r);
  const { matrix, rhs } = ridgeSystem(data, dimension, lambda);

  it('estimates θ̂ = A⁻¹b like a direct solve', () => {
    expect(maxRelativeError(learner.posterior('a').mean(), gaussianSolve(matrix, rhs))).toBeLessThan(1e-12);
  });

  it('scores θ̂ᵀx + α·√(xᵀA⁻¹x)', () => {
    const x = Float64Array.of(1, -0.5, 0.25, 2, 0);
    const theta = gaussianSolve(matrix, rhs);
    const inverseX = gaussianSolve(matrix, x);
    const width = 0.7 * Math.sqrt(x.reduce((sum, xi, i) => sum + xi * inverseX[i]!, 0));
    const mean = x.reduce((sum, xi, i) => sum + xi * theta[i]!, 0);
    expect(learner.score('a', x)).toBeCloseTo(mean + width, 12);
  });

  it('starts a new arm from the prior: score α·‖x‖/√λ', () => {
    const x = Float64Array.of(1, 2, 2, 0, 0);
    expect(learner.score('new', x)).toBeCloseTo((0.7 * 3) / Math.sqrt(lambda), 14);
  });

  it('puts all probability on the best candidate, whichever subset is offered', () => {
    const x = Float64Array.of(1, 0, 0, 0, 0);
    const best = learner.score('a', x) > learner.score('b', x) ? 'a' : 'b';
    const probabilities = learner.distribution(x, ['b', 'a']);
    expect([...probabilities]).toEqual(best === 'a' ? [0, 1] : [1, 0]);
    expect([...learner.distribution(x, ['a'])]).toEqual([1]);
  });

  it('splits a tie equally, or gives it to the first candidate', () => {
    expect([...argmaxDistribution([1, 3, 3 * (1 - 1e-12), 2], 'split')]).toEqual([0, 0.5, 0.5, 0]);
    expect([...argmaxDistribution([1, 3, 3 * (1 - 1e-12), 2], 'lowest-index')]).toEqual([0, 1, 0, 0]);
    expect([...argmaxDistribution([1, 3, 3 * (1 - 1e-8), 2], 'split')]).toEqual([0, 1, 0, 0]);
    const fresh = new LinUcb(2, 1, new ForgettingClock(1), 1, 'split');
    expect([...fresh.distribution(Float64Array.of(1, 1), ['x', 'y', 'z'])]).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('refuses a context of the wrong dimension or with a non-finite value, learning nothing', () => {
    const fresh = new LinUcb(2, 1, new ForgettingClock(1), 1, 'split');
    expect(() => fresh.learn('a', Float64Array.of(1, Number.NaN), 1)).toThrow('context holds a non-finite value at 1');
    expect(() => fresh.learn('a', Float64Array.of(1), 1)).toThrow('context must have dimension 2, got 1');
    expect(() => fresh.learn('a', Float64Array.of(1, 1), Number.POSITIVE_INFINITY)).toThrow('reward must be a finite number');
    expect(fresh.arms()).toEqual([]);
  });

  it('refuses bad parameters by name', () => {
    expect(() => new LinUcb(2, 0, new ForgettingClock(1), 1, 'split')).toThrow('lambda must be > 0, got 0');
    expect(() => new LinUcb(2, 1, new ForgettingClock(1), -1, 'split')).toThrow('alpha must be >= 0, got -1');
  });
});
