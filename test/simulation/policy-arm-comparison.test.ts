import { describe, expect, it } from 'vitest';
import { comparePolicyArm, cumulativeAverage } from '../../src/simulation/policy-arm-comparison.js';

const GATED = { gated: true, bar: 0.95 };

describe('comparePolicyArm', () => {
  it('divides the service average by the in-process one', () => {
    // Service 2/4 = 0.5, in process 3/4 = 0.75, ratio 0.5 / 0.75 = 2/3.
    const comparison = comparePolicyArm('linucb', [1, 0, 1, 0], [1, 1, 0, 1], GATED);
    expect(comparison).toEqual({ policy: 'linucb', decisions: 4, serviceAverage: 0.5, inProcessAverage: 0.75, ratio: 2 / 3, gated: true, passes: false });
  });

  it('passes a ratio exactly at the bar, and fails one just under it', () => {
    // 19 clicks in 20 = 0.95 against 20 in 20 = 1; 18 in 20 = 0.9.
    const ones = Array<number>(20).fill(1);
    expect(comparePolicyArm('lints', [...ones.slice(1), 0], ones, GATED).passes).toBe(true);
    expect(comparePolicyArm('lints', [...ones.slice(2), 0, 0], ones, GATED).passes).toBe(false);
  });

  it('lets a control that is not gated pass whatever its ratio', () => {
    const comparison = comparePolicyArm('control', [0, 0], [1, 1], { gated: false, bar: 0.95 });
    expect(comparison.ratio).toBe(0);
    expect(comparison.passes).toBe(true);
  });

  it('gives ratio 1 when both averages are 0, and +∞ when only the in-process one is', () => {
    expect(comparePolicyArm('a', [0, 0], [0, 0], GATED).ratio).toBe(1);
    expect(comparePolicyArm('a', [1, 0], [0, 0], GATED)).toMatchObject({ ratio: Infinity, passes: true });
  });

  it.each<[number[], number[], number, string]>([
    [[1, 0], [1], 0.95, 'policy arm p: 2 service rewards against 1 in-process rewards'],
    [[], [], 0.95, 'policy arm p has no decisions'],
    [[1], [1], 0, 'bar must be in (0, 1], got 0'],
    [[1], [1], 1.5, 'bar must be in (0, 1], got 1.5'],
  ])('refuses %j against %j with bar %d', (service, inProcess, bar, message) => {
    expect(() => comparePolicyArm('p', service, inProcess, { gated: true, bar })).toThrow(new RangeError(message));
  });
});

describe('cumulativeAverage', () => {
  it('averages the rewards up to each round', () => {
    // 1/1, 1/2, 2/3, 3/4.
    expect([...cumulativeAverage([1, 0, 1, 1])]).toEqual([1, 0.5, 2 / 3, 0.75]);
    expect(cumulativeAverage([])).toHaveLength(0);
  });
});
