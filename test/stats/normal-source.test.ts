import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit } from '../../src/stats/chi-square.js';
import { twoSidedNormalPValue } from '../../src/stats/normal-p-value.js';
import { NormalSource } from '../../src/stats/normal-source.js';
import { seededRandom } from '../../src/stats/random.js';

/** Φ(z), from the two-sided tail P(|Z| ≥ |z|). */
const normalCdf = (z: number) => (z < 0 ? twoSidedNormalPValue(z) / 2 : 1 - twoSidedNormalPValue(z) / 2);

describe('NormalSource', () => {
  it('replays the same draws from the same seed, and other draws from another', () => {
    const draws = (seed: string) => {
      const source = new NormalSource(seededRandom(seed));
      return Array.from({ length: 1000 }, () => source.next());
    };
    expect(draws('decision-1')).toEqual(draws('decision-1'));
    expect(draws('decision-1')).not.toEqual(draws('decision-2'));
  });

  it('fills a buffer with the draws `next` gives in turn, tail and wedge draws included, and carries on from there', () => {
    const one = new NormalSource(seededRandom('fill'));
    const other = new NormalSource(seededRandom('fill'));
    const expected = Array.from({ length: 30_000 }, () => one.next());
    const filled = [...other.fill(new Float64Array(10_000)), ...other.fill(new Float64Array(20_000))];
    expect(filled).toEqual(expected);
    expect(expected.some((z) => Math.abs(z) > 3.442619855899)).toBe(true);
    expect(other.next()).toBe(one.next());
  });

  it('follows N(0, 1): chi-square over 66 cells of 2 000 000 draws (fixed seed, p > 0.001)', () => {
    // Cells of width 0.125 on [−4, 4], and the two tails beyond.
    const edges = Array.from({ length: 65 }, (_, i) => -4 + i * 0.125);
    const observed = new Float64Array(edges.length + 1);
    const source = new NormalSource(seededRandom('normal-source'));
    const n = 2_000_000;
    for (let i = 0; i < n; i++) {
      const z = source.next();
      const cell = z < -4 ? 0 : z >= 4 ? edges.length : 1 + Math.floor((z + 4) / 0.125);
      observed[cell]! += 1;
    }
    const cdf = [0, ...edges.map(normalCdf), 1];
    const expected = observed.map((_, cell) => n * (cdf[cell + 1]! - cdf[cell]!));
    expect(chiSquareGoodnessOfFit(observed, expected).pValue).toBeGreaterThan(0.001);
  });

  it('draws the tail beyond the ziggurat base (|z| > 3.4426) as often as N(0, 1) does', () => {
    const source = new NormalSource(seededRandom('normal-tail'));
    const n = 4_000_000;
    let beyondBase = 0;
    let beyondFive = 0;
    for (let i = 0; i < n; i++) {
      const z = Math.abs(source.next());
      if (z > 3.442619855899) beyondBase++;
      if (z > 4.5) beyondFive++;
    }
    const expected = n * twoSidedNormalPValue(3.442619855899); // ≈ 2 304
    expect(Math.abs(beyondBase - expected)).toBeLessThan(4 * Math.sqrt(expected));
    const expectedFar = n * twoSidedNormalPValue(4.5); // ≈ 27
    expect(Math.abs(beyondFive - expectedFar)).toBeLessThan(4 * Math.sqrt(expectedFar));
  });
});
