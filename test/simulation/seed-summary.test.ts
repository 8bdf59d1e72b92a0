import { describe, expect, it } from 'vitest';
import { meanCurve, summariseSeeds } from '../../src/simulation/seed-summary.js';

const GATED = { gated: true, bar: 0.95 };

describe('summariseSeeds', () => {
  it('gates the mean of the seeds, not each seed, and gives the spread', () => {
    // The committed runs of linear-synth's LinUCB: 0.94 fails alone, but the mean (0.94 + 0.996 + 0.97) / 3
    // = 0.968667 passes. Deviations −0.028667, 0.027333, 0.001333: Σ squares = 0.00157067, / 2 → sd 0.028024.
    const summary = summariseSeeds('linucb', [0.94, 0.996, 0.97], GATED);
    expect(summary).toMatchObject({ policy: 'linucb', ratios: [0.94, 0.996, 0.97], min: 0.94, max: 0.996, gated: true, passes: true });
    expect(summary.mean).toBeCloseTo(0.968667, 6);
    expect(summary.sd).toBeCloseTo(0.028024, 6);
  });

  it('fails a mean just under the bar, passes one at it, and gives sd 0 for one seed', () => {
    expect(summariseSeeds('a', [0.9, 0.99], GATED).passes).toBe(false); // mean 0.945
    expect(summariseSeeds('a', [0.95], GATED)).toMatchObject({ mean: 0.95, sd: 0, passes: true });
  });

  it('passes whatever the ratios when not gated (a control, a stress scenario)', () => {
    expect(summariseSeeds('control', [0.5, 0.6], { gated: false, bar: 0.95 })).toMatchObject({ gated: false, passes: true });
  });

  it('passes an infinite ratio (a baseline that earned nothing)', () => {
    expect(summariseSeeds('a', [Infinity, 0.9], GATED)).toMatchObject({ mean: Infinity, passes: true });
  });

  it.each<[number[], number, string]>([
    [[], 0.95, 'policy arm p has no seeds'],
    [[0.9, Number.NaN], 0.95, 'policy arm p: a ratio must be a number ≥ 0, got NaN'],
    [[-0.1], 0.95, 'policy arm p: a ratio must be a number ≥ 0, got -0.1'],
    [[1], 0, 'bar must be in (0, 1], got 0'],
    [[1], 1.5, 'bar must be in (0, 1], got 1.5'],
  ])('refuses %j with bar %d', (ratios, bar, message) => {
    expect(() => summariseSeeds('p', ratios, { gated: true, bar })).toThrow(new RangeError(message));
  });
});

describe('meanCurve', () => {
  it('averages the curves point by point, cut to the shortest', () => {
    // (0.2 + 0.4) / 2, (0.3 + 0.5) / 2; the third point of the first curve has no partner.
    expect([...meanCurve([[0.2, 0.3, 0.9], [0.4, 0.5]])].map((y) => Number(y.toFixed(12)))).toEqual([0.3, 0.4]);
  });

  it('refuses no curve', () => {
    expect(() => meanCurve([])).toThrow(new RangeError('a mean curve needs at least one curve'));
  });
});
