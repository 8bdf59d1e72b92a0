import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta } from '../../src/stats/incomplete-beta.js';
import { twoSidedNormalPValue } from '../../src/stats/normal-p-value.js';
import { studentTTwoSidedPValue, studentTTwoSidedQuantile } from '../../src/stats/student-t.js';

// Reference values from SciPy 1.17.1: scipy.stats.beta.cdf, 2 * scipy.stats.t.sf, scipy.stats.t.ppf,
// 2 * scipy.stats.norm.sf.
describe('regularizedIncompleteBeta', () => {
  it.each([
    [0.3, 2.5, 7, 0.6412224629717214],
    [0.9, 50, 3, 0.09663328513725222],
  ])('I_%f(%f, %f) = %f', (x, a, b, expected) => {
    expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(expected, 12);
  });

  it('is x for a = b = 1 and ½ at x = ½ for a = b (by symmetry)', () => {
    expect(regularizedIncompleteBeta(0.37, 1, 1)).toBeCloseTo(0.37, 14);
    expect(regularizedIncompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 14);
  });

  it.each([
    [-0.1, 1, 1, 'x must be in [0, 1], got -0.1'],
    [0.5, 0, 1, 'a must be > 0, got 0'],
    [0.5, 1, Number.POSITIVE_INFINITY, 'b must be > 0, got Infinity'],
  ])('refuses x = %f, a = %f, b = %f', (x, a, b, message) => {
    expect(() => regularizedIncompleteBeta(x, a, b)).toThrow(message);
  });
});

describe('studentTTwoSidedPValue', () => {
  it.each([
    [2, 10, 0.07338803477074037],
    [3.5, 4.5, 0.020541689969385577],
    [0.3, 1e6, 0.7641772179789942],
    [8, 30, 6.265822475700759e-9],
    [1.1, 1, 0.4697076556232638],
  ])('P(|T| ≥ %f | ν = %f) = %f', (t, df, p) => {
    expect(studentTTwoSidedPValue(t, df) / p).toBeCloseTo(1, 9);
  });

  it('is symmetric in t and 1 at t = 0', () => {
    expect(studentTTwoSidedPValue(-2, 10)).toBe(studentTTwoSidedPValue(2, 10));
    expect(studentTTwoSidedPValue(0, 7)).toBe(1);
  });
});

describe('studentTTwoSidedQuantile', () => {
  it.each([
    [0.95, 10, 2.228138851986274],
    [0.95, 2.5, 3.5746548420036817],
    [0.99, 1000, 2.580754698065951],
  ])('level %f, ν = %f → %f', (level, df, t) => {
    expect(studentTTwoSidedQuantile(level, df)).toBeCloseTo(t, 11);
  });

  it('refuses a level outside (0, 1)', () => {
    expect(() => studentTTwoSidedQuantile(1, 3)).toThrow('level must be in (0, 1), got 1');
  });
});

describe('twoSidedNormalPValue', () => {
  it.each([
    [1.959963984540054, 0.05],
    [6, 1.973175290075389e-9],
    [-0.5, 0.6170750774519738],
  ])('P(|Z| ≥ |%f|) = %f', (z, p) => {
    expect(twoSidedNormalPValue(z) / p).toBeCloseTo(1, 11);
  });
});
