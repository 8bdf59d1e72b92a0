import { describe, expect, it } from 'vitest';
import { meanInterval } from '../../src/stats/mean-interval.js';
import { relativeLift } from '../../src/stats/relative-lift.js';
import type { SampleSummary } from '../../src/stats/sample-summary.js';
import { twoProportionZTest } from '../../src/stats/two-proportion-z-test.js';
import { welchTTest } from '../../src/stats/welch-t-test.js';

function summarise(values: readonly number[]): SampleSummary {
  return { count: values.length, sum: values.reduce((s, x) => s + x, 0), sumOfSquares: values.reduce((s, x) => s + x * x, 0) };
}

const A = [0.2, 1.1, 0.7, 0.9, 1.4, 0.3, 0.8];
const B = [0.1, 0.4, 0.35, 0.6, 0.2, 0.5, 0.15, 0.45, 0.3];

describe('meanInterval', () => {
  it('matches scipy.stats.t.interval(0.95, 6, loc=mean, scale=sem) (SciPy 1.17.1)', () => {
    const interval = meanInterval(summarise(A), 0.95);
    expect(interval.estimate).toBeCloseTo(5.4 / 7, 14);
    expect(interval.low).toBeCloseTo(0.3800891672351208, 12);
    expect(interval.high).toBeCloseTo(1.162767975622022, 12);
  });

  it('has NaN bounds below two values', () => {
    expect(meanInterval({ count: 1, sum: 1, sumOfSquares: 1 }, 0.95)).toEqual({ estimate: 1, low: Number.NaN, high: Number.NaN });
  });
});

describe('welchTTest', () => {
  it('matches scipy.stats.ttest_ind(a, b, equal_var=False) (SciPy 1.17.1)', () => {
    const result = welchTTest(summarise(A), summarise(B));
    expect(result.test).toBe('welch-t');
    expect(result.statistic).toBeCloseTo(2.5537438926375535, 11);
    expect(result.degreesOfFreedom).toBeCloseTo(7.46478314178682, 10);
    expect(result.pValue).toBeCloseTo(0.035930434371330804, 11);
  });

  it('has no p-value when both samples are constant', () => {
    expect(welchTTest(summarise([1, 1]), summarise([0, 0])).pValue).toBeNaN();
  });
});

describe('twoProportionZTest', () => {
  it('matches Pearson’s χ² of the 2×2 table, scipy.stats.chi2_contingency(correction=False) (SciPy 1.17.1)', () => {
    // 120 of 1000 against 90 of 1000: z = √χ² = 2.1882658846227234, p = 0.028650240398448427.
    const result = twoProportionZTest(120, 1000, 90, 1000);
    expect(result.test).toBe('two-proportion-z');
    expect(result.statistic).toBeCloseTo(2.1882658846227234, 12);
    expect(result.pValue).toBeCloseTo(0.028650240398448427, 13);
  });

  it('refuses more successes than trials', () => {
    expect(() => twoProportionZTest(11, 10, 1, 10)).toThrow('sample A: successes must be in [0, trials], got 11 of 10');
  });
});

describe('relativeLift', () => {
  it('is the delta-method interval, computed by hand', () => {
    // 120/1000 vs 100/1000 binary: x̄_T = 0.12, s²_T = (120 − 120²/1000)/999 = 105.6/999; x̄_C = 0.1,
    // s²_C = 90/999. SE² = (105.6/999/1000)/0.01 + 0.0144·(90/999/1000)/0.0001 = 0.0105706 + 0.0129730,
    // SE = 0.1534391; L = 0.2, interval 0.2 ± 1.96·SE = [−0.1007405, 0.5007405].
    const lift = relativeLift({ count: 1000, sum: 120, sumOfSquares: 120 }, { count: 1000, sum: 100, sumOfSquares: 100 }, 1.96);
    const se = Math.sqrt(105.6 / 999 / 1000 / 0.01 + (0.0144 * 90) / 999 / 1000 / 0.0001);
    expect(se).toBeCloseTo(0.1534391, 6);
    expect(lift.low).toBeCloseTo(-0.1007405, 6);
    expect(lift.estimate).toBeCloseTo(0.2, 14);
    expect(lift.low).toBeCloseTo(0.2 - 1.96 * se, 14);
    expect(lift.high).toBeCloseTo(0.2 + 1.96 * se, 14);
  });

  it('is undefined when the control mean is 0', () => {
    expect(relativeLift(summarise([1, 0]), summarise([0, 0]), 1.96).estimate).toBeNaN();
  });
});
