import { describe, expect, it } from 'vitest';
import { comparePolicyArm, cumulativeAverage } from '../../src/simulation/policy-arm-comparison.js';

describe('comparePolicyArm', () => {
  it('divides the service average by the in-process one', () => {
    // Service 2/4 = 0.5, in process 3/4 = 0.75, ratio 0.5 / 0.75 = 2/3.
    const comparison = comparePolicyArm('linucb', [1, 0, 1, 0], [1, 1, 0, 1]);
    expect(comparison).toEqual({ policy: 'linucb', decisions: 4, serviceAverage: 0.5, inProcessAverage: 0.75, ratio: 2 / 3 });
  });

  it('gives ratio 1 when both averages are 0, and +∞ when only the in-process one is', () => {
    expect(comparePolicyArm('a', [0, 0], [0, 0]).ratio).toBe(1);
    expect(comparePolicyArm('a', [1, 0], [0, 0]).ratio).toBe(Infinity);
  });

  it.each<[number[], number[], string]>([
    [[1, 0], [1], 'policy arm p: 2 service rewards against 1 in-process rewards'],
    [[], [], 'policy arm p has no decisions'],
  ])('refuses %j against %j', (service, inProcess, message) => {
    expect(() => comparePolicyArm('p', service, inProcess)).toThrow(new RangeError(message));
  });
});

describe('cumulativeAverage', () => {
  it('averages the rewards up to each round', () => {
    // 1/1, 1/2, 2/3, 3/4.
    expect([...cumulativeAverage([1, 0, 1, 1])]).toEqual([1, 0.5, 2 / 3, 0.75]);
    expect(cumulativeAverage([])).toHaveLength(0);
  });
});
