import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/learners/create-policy.js';
import { withExplorationFloor } from '../../src/learners/exploration-floor.js';
import { sampleIndex } from '../../src/learners/sample-index.js';
import { seededRandom } from '../../src/stats/random.js';

describe('the exploration floor', () => {
  it('mixes (1 − ε)·π + ε/K', () => {
    // ε = 0.2, K = 4: 0.8·[1, 0, 0, 0] + 0.05 = [0.85, 0.05, 0.05, 0.05].
    const floored = withExplorationFloor(Float64Array.of(1, 0, 0, 0), 0.2);
    expect([...floored].map((p) => Number(p.toFixed(15)))).toEqual([0.85, 0.05, 0.05, 0.05]);
    expect(Math.min(...floored)).toBeGreaterThanOrEqual(0.2 / 4);
  });

  it('leaves the distribution alone at ε = 0 and makes it uniform at ε = 1', () => {
    expect([...withExplorationFloor(Float64Array.of(0.3, 0.7), 0)]).toEqual([0.3, 0.7]);
    expect([...withExplorationFloor(Float64Array.of(0.3, 0.7), 1)]).toEqual([0.5, 0.5]);
  });

  it.each([-0.1, 1.1, Number.NaN])('refuses ε = %f', (epsilon) => {
    expect(() => withExplorationFloor(Float64Array.of(1), epsilon)).toThrow('epsilon must be in [0, 1]');
  });
});

describe('sampleIndex', () => {
  it('inverts the cumulative distribution', () => {
    const probabilities = [0.25, 0, 0.5, 0.25];
    expect(sampleIndex(probabilities, () => 0)).toBe(0);
    expect(sampleIndex(probabilities, () => 0.25)).toBe(2);
    expect(sampleIndex(probabilities, () => 0.7499)).toBe(2);
    expect(sampleIndex(probabilities, () => 0.75)).toBe(3);
  });

  it('never returns an index of probability zero, even when rounding leaves u above the total', () => {
    expect(sampleIndex([0.3, 0.3, 0], () => 0.9999999)).toBe(1);
  });
});

describe('a seeded decision', () => {
  const context = Float64Array.of(1, 0.5, -1);
  const candidates = ['podcast', 'album', 'audiobook', 'video'];

  it.each([
    { kind: 'linucb', epsilon: 0.1 },
    { kind: 'lints', epsilon: 0.1 },
    { kind: 'thompson', epsilon: 0.1 },
    { kind: 'uniform' },
  ] as const)('replays bit for bit from its seed ($kind)', (config) => {
    const policy = createPolicy(config, 3);
    const random = seededRandom('train');
    for (let t = 0; t < 200; t++) policy.learner.learn(candidates[t % 4]!, context, t % 3 === 0 ? 1 : 0, random);
    const first = policy.decide(context, candidates, seededRandom('surface:decision-1'));
    const again = policy.decide(context, candidates, seededRandom('surface:decision-1'));
    expect(again.chosen).toBe(first.chosen);
    expect(Buffer.from(again.probabilities.buffer).equals(Buffer.from(first.probabilities.buffer))).toBe(true);
    expect(first.probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
  });

  it('refuses bad configuration by parameter name', () => {
    expect(() => createPolicy({ kind: 'lints', v: 0 }, 3)).toThrow('v must be > 0, got 0');
    expect(() => createPolicy({ kind: 'thompson', draws: 0 }, 3)).toThrow('draws must be a positive integer, got 0');
    expect(() => createPolicy({ kind: 'linucb', gamma: 0 }, 3)).toThrow('gamma must be in (0, 1], got 0');
    expect(() => createPolicy({ kind: 'linucb', epsilon: 2 }, 3)).toThrow('epsilon must be in [0, 1], got 2');
  });

  it('refuses empty or repeated candidates', () => {
    const policy = createPolicy({ kind: 'linucb' }, 3);
    expect(() => policy.decide(context, [], seededRandom('x'))).toThrow('candidates must not be empty');
    expect(() => policy.decide(context, ['a', 'a'], seededRandom('x'))).toThrow('candidates must be distinct');
  });
});
