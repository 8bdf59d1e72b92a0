import { describe, expect, it } from 'vitest';
import {
  choleskyFactor,
  choleskyRankOneUpdate,
  solveLower,
  solveWithCholesky,
} from '../../src/linalg/cholesky.js';
import { seededRandom, standardNormal } from '../../src/stats/random.js';
import { gaussianSolve, maxRelativeError } from '../helpers/dense-algebra.js';

describe('choleskyFactor', () => {
  it('factors a matrix whose factor is known by hand', () => {
    // A = L Lᵀ with L = [[2,0,0],[1,3,0],[-1,2,1]] (worked out by hand).
    const a = Float64Array.of(4, 2, -2, 2, 10, 5, -2, 5, 6);
    expect([...choleskyFactor(a, 3)]).toEqual([2, 0, 0, 1, 3, 0, -1, 2, 1]);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskyFactor(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite \(pivot -3 at column 1\)/);
  });
});

describe('choleskyRankOneUpdate', () => {
  it('agrees with a fresh factorisation of A + w x xᵀ', () => {
    const d = 6;
    const random = seededRandom('rank-one');
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) a[i * d + i] = 1;
    const lower = choleskyFactor(a, d);
    const scratch = new Float64Array(d);
    for (let step = 0; step < 50; step++) {
      const x = Array.from({ length: d }, () => standardNormal(random));
      const w = 0.5 + random();
      choleskyRankOneUpdate(lower, d, x, w, scratch);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j]! += w * x[i]! * x[j]!;
    }
    expect(maxRelativeError(lower, choleskyFactor(a, d))).toBeLessThan(1e-12);
  });
});

describe('triangular solves', () => {
  it('solve A y = b like Gaussian elimination does', () => {
    const a = Float64Array.of(4, 2, -2, 2, 10, 5, -2, 5, 6);
    const b = Float64Array.of(1, -2, 3);
    const lower = choleskyFactor(a, 3);
    expect(maxRelativeError(solveWithCholesky(lower, 3, b, new Float64Array(3)), gaussianSolve(a, b))).toBeLessThan(1e-14);
    // L y = b by hand: y = [1/2, (-2 - 1/2)/3, 3 + 1/2 - 2·(-5/6)].
    const y = solveLower(lower, 3, b, new Float64Array(3));
    expect(y[0]).toBeCloseTo(0.5, 15);
    expect(y[1]).toBeCloseTo(-5 / 6, 15);
    expect(y[2]).toBeCloseTo(3 + 0.5 + 5 / 3, 14);
  });
});
