import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { assignPolicyArm } from '../../src/surfaces/policy-arm-assignment.js';
import { buildSurface, type SurfaceConfig } from '../../src/surfaces/surface.js';

function surfaceWith(overrides: Partial<SurfaceConfig>) {
  return buildSurface(
    {
      id: 'home',
      name: 'Home',
      arms: [{ id: 'album:a', kind: 'music' }],
      features: [],
      reward: { type: 'binary', attributionWindowSeconds: 1800, default: 0 },
      randomization: 'user',
      policyArms: [
        { id: 'linucb', share: 0.45, learner: { kind: 'linucb' } },
        { id: 'lints', share: 0.45, learner: { kind: 'lints' } },
        { id: 'control', share: 0.1, learner: { kind: 'uniform' } },
      ],
      ...overrides,
    },
    'home.yaml',
  );
}

const never = () => {
  throw new Error('requestRandom must not be called for a known unit');
};

/**
 * Asserts that `n` assignments split like the shares. Each count is Binomial(n, share); a bound of
 * 5 standard deviations fails a correct implementation with probability < 6e-7 per policy arm.
 */
function expectSplit(counts: ReadonlyMap<string, number>, shares: Record<string, number>, n: number) {
  for (const [id, share] of Object.entries(shares)) {
    const sd = Math.sqrt(n * share * (1 - share));
    expect(Math.abs((counts.get(id) ?? 0) - n * share), id).toBeLessThan(5 * sd);
  }
}

function tally(ids: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe('assignPolicyArm', () => {
  it('places a unit by the hash of seed and unit', () => {
    // printf '%s' 'home:user-42' | sha256sum → b18b307add6c1… ; 0xb18b307add6c1 / 2^52 = 0.6935…,
    // which falls in [0.45, 0.90): the second policy arm.
    expect(assignPolicyArm(surfaceWith({}), 'user-42', never).id).toBe('lints');
  });

  it('keeps a user on one policy arm across requests', () => {
    const surface = surfaceWith({});
    const first = assignPolicyArm(surface, 'user-7', never);
    for (let i = 0; i < 20; i += 1) expect(assignPolicyArm(surface, 'user-7', never)).toBe(first);
  });

  it('splits users by the shares', () => {
    const surface = surfaceWith({});
    const n = 100_000;
    const ids = Array.from({ length: n }, (_, i) => assignPolicyArm(surface, `user-${i}`, never).id);
    expectSplit(tally(ids), { linucb: 0.45, lints: 0.45, control: 0.1 }, n);
  });

  it('reshuffles users when the seed changes', () => {
    const before = surfaceWith({});
    const after = surfaceWith({ seed: 'home-2027' });
    const ids = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    const moved = ids.filter((unit) => assignPolicyArm(before, unit, never).id !== assignPolicyArm(after, unit, never).id);
    // Independent splits agree with probability 0.45² + 0.45² + 0.1² = 0.415, so about 585 of 1000 move.
    expect(moved.length).toBeGreaterThan(500);
    expect(moved.length).toBeLessThan(670);
  });

  it('draws per request when the surface randomizes by request, or the unit is unknown', () => {
    const n = 100_000;
    for (const [surface, unit] of [
      [surfaceWith({ randomization: 'request' }), 'user-7'],
      [surfaceWith({}), null],
    ] as const) {
      const random = seedrandom('assignment');
      const ids = Array.from({ length: n }, () => assignPolicyArm(surface, unit, random).id);
      expectSplit(tally(ids), { linucb: 0.45, lints: 0.45, control: 0.1 }, n);
    }
  });

  it('maps the edges of [0, 1) to the first and last policy arms', () => {
    const surface = surfaceWith({ randomization: 'request' });
    expect(assignPolicyArm(surface, null, () => 0).id).toBe('linucb');
    expect(assignPolicyArm(surface, null, () => 0.45).id).toBe('lints');
    expect(assignPolicyArm(surface, null, () => 1 - Number.EPSILON).id).toBe('control');
  });

  it('rejects a request random number outside [0, 1)', () => {
    const surface = surfaceWith({ randomization: 'request' });
    expect(() => assignPolicyArm(surface, null, () => 1)).toThrow(new RangeError('requestRandom must return a number in [0, 1) (got 1)'));
    expect(() => assignPolicyArm(surface, null, () => Number.NaN)).toThrow(RangeError);
  });
});
