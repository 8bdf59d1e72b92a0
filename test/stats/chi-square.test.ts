import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit, chiSquareUpperTail } from '../../src/stats/chi-square.js';

describe('chiSquareUpperTail', () => {
  // Reference values from scipy.stats.chi2.sf (SciPy 1.17.1) (and, for k = 2, the closed form e^{-x/2}).
  it.each([
    [3.841458820694124, 1, 0.05],
    [10.827566170662733, 1, 0.001],
    [16.918977604620448, 9, 0.05],
    [27.877164871256568, 9, 0.001],
    [2, 2, Math.exp(-1)],
    [0.5, 4, 0.9735009788392561],
    [150, 100, 0.0009039320423540184],
  ])('P(χ² ≥ %f | k = %i) = %f', (x, k, p) => {
    expect(chiSquareUpperTail(x, k)).toBeCloseTo(p, 12);
  });

  it('refuses a negative statistic', () => {
    expect(() => chiSquareUpperTail(-1, 3)).toThrow('statistic must be >= 0, got -1');
  });
});

describe('chiSquareGoodnessOfFit', () => {
  it('computes Pearson’s statistic by hand', () => {
    // (30−25)²/25 + (20−25)²/25 + (50−50)²/50 = 2, with 2 degrees of freedom → p = e^{-1}.
    const result = chiSquareGoodnessOfFit([30, 20, 50], [25, 25, 50]);
    expect(result.statistic).toBe(2);
    expect(result.degreesOfFreedom).toBe(2);
    expect(result.pValue).toBeCloseTo(Math.exp(-1), 14);
  });

  it('leaves out cells of expectation zero and refuses one that was observed', () => {
    expect(chiSquareGoodnessOfFit([5, 0, 5], [5, 0, 5]).degreesOfFreedom).toBe(1);
    expect(() => chiSquareGoodnessOfFit([5, 1, 4], [5, 0, 5])).toThrow('cell 1 was observed 1 times but has expectation 0');
  });
});
