import { describe, expect, it } from 'vitest';
import { choleskyFactor } from '../../src/linalg/cholesky.js';
import { ForgettingClock } from '../../src/learners/forgetting-clock.js';
import { LinUcb } from '../../src/learners/lin-ucb.js';
import { LinearPosterior } from '../../src/learners/linear-posterior.js';
import { seededRandom, standardNormal } from '../../src/stats/random.js';
import { gaussianSolve, maxRelativeError } from '../helpers/dense-algebra.js';

describe('the cached Cholesky factor after 100 000 rank-one updates', () => {
  const dimension = 16;
  const random = seededRandom('stability');
  const learner = new LinUcb(dimension, 1, new ForgettingClock(1), 1, 'split');
  // The cache exists from the start, so every one of the updates below goes through the rank-one path.
  const cached = learner.posterior('a');
  // Correlated, badly scaled contexts (one feature ×100, an intercept) make drift show if there is any.
  for (let t = 0; t < 100_000; t++) {
    const x = Float64Array.from({ length: dimension }, (_, i) => (i === 0 ? 1 : standardNormal(random) * (i === 1 ? 100 : 1)));
    x[2] = x[3]! + 0.01 * x[2]!;
    learner.learn('a', x, random() < 0.2 ? 1 : 0);
  }
  const statistics = learner.statistics('a');
  const fresh = LinearPosterior.fromStatistics(statistics, dimension, 1, 1);

  it('is still the cache that was updated, not a fresh build', () => {
    expect(learner.posterior('a')).toBe(cached);
  });

  it('agrees with a fresh factorisation of A to 1e-9 relative', () => {
    expect(maxRelativeError(cached.factor(), fresh.factor())).toBeLessThan(1e-9);
  });

  it('gives θ̂ that agrees with a fresh Gaussian solve of A θ = b to 1e-9 relative', () => {
    const { matrix, rhs } = unpack(statistics, dimension);
    expect(maxRelativeError(cached.mean(), gaussianSolve(matrix, rhs))).toBeLessThan(1e-9);
  });

  it('gives xᵀA⁻¹x that agrees with a fresh solve to 1e-9 relative', () => {
    const { matrix } = unpack(statistics, dimension);
    const x = Float64Array.from({ length: dimension }, (_, i) => Math.cos(i));
    const exact = x.reduce((sum, xi, i) => sum + xi * gaussianSolve(matrix, x)[i]!, 0);
    expect(Math.abs(cached.quadraticForm(x) - exact) / exact).toBeLessThan(1e-9);
    expect(choleskyFactor(matrix, dimension).length).toBe(dimension * dimension);
  });
});

/** A = I + Σ x xᵀ and b from the packed statistics layout [n, b, upper(A − I)]. */
function unpack(statistics: Float64Array, d: number) {
  const matrix = new Float64Array(d * d);
  let offset = 1 + d;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      matrix[i * d + j] = statistics[offset]!;
      matrix[j * d + i] = statistics[offset++]!;
    }
    matrix[i * d + i]! += 1;
  }
  return { matrix, rhs: statistics.slice(1, 1 + d) };
}
