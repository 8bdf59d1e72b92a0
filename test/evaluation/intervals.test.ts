import { mean, quantileSorted as ssQuantile, sampleStandardDeviation, sampleVariance } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { BlockBootstrap } from '../../src/evaluation/bootstrap.js';
import { evaluate } from '../../src/evaluation/evaluate.js';
import type { EvaluationRound } from '../../src/evaluation/evaluation-types.js';
import { quantileSorted, twoSidedNormalQuantile } from '../../src/evaluation/intervals.js';
import { seededRandom, type Random } from '../../src/stats/random.js';

function randomLog(rows: number, random: Random): EvaluationRound[] {
  return Array.from({ length: rows }, () => {
    const propensity = 0.1 + 0.8 * random();
    return { reward: random() < 0.3 ? 1 : 0, propensity, targetProbability: random() };
  });
}

describe('twoSidedNormalQuantile', () => {
  // Reference values from scipy.stats.norm.ppf (SciPy 1.17.1).
  it.each([
    [0.95, 1.959963984540054],
    [0.9, 1.6448536269514722],
    [0.99, 2.5758293035489004],
  ])('z for level %f is %f', (level, z) => {
    expect(twoSidedNormalQuantile(level)).toBeCloseTo(z, 12);
  });
});

describe('quantileSorted', () => {
  it('interpolates linearly like numpy.percentile', () => {
    // h = (5 − 1)·0.3 = 1.2 → 2 + 0.2·(4 − 2) = 2.4 (numpy.percentile([1, 2, 4, 8, 16], 30) = 2.4).
    expect(quantileSorted([1, 2, 4, 8, 16], 0.3)).toBeCloseTo(2.4, 15);
    expect(quantileSorted([1, 2, 4, 8, 16], 1)).toBe(16);
    expect(quantileSorted([7], 0.025)).toBe(7);
  });
});

describe('normal interval', () => {
  const rounds = randomLog(500, seededRandom('normal'));
  const result = evaluate(rounds, { estimators: [{ name: 'ips' }, { name: 'snips' }], bootstrap: 0, seed: 's' });
  const z = 1.959963984540054;

  it('is mean ± z·s/√n for IPS, s from simple-statistics sampleStandardDeviation', () => {
    const terms = rounds.map((r) => (r.targetProbability / r.propensity) * r.reward);
    const halfWidth = (z * sampleStandardDeviation(terms)) / Math.sqrt(terms.length);
    const [ips] = result.estimates;
    expect(ips!.value).toBeCloseTo(mean(terms), 14);
    expect(ips!.normalCi[0]).toBeCloseTo(mean(terms) - halfWidth, 12);
    expect(ips!.normalCi[1]).toBeCloseTo(mean(terms) + halfWidth, 12);
  });

  it('is the delta-method ratio interval for SNIPS', () => {
    // V̂ = ā / b̄ with aᵢ = wᵢrᵢ, bᵢ = wᵢ; ∇g = (1/b̄, −ā/b̄²) gives SE² = s²(a − V̂b) / (n b̄²)
    // with the (n − 1) sample variance s², the textbook linearisation of a ratio estimator.
    const a = rounds.map((r) => (r.targetProbability / r.propensity) * r.reward);
    const b = rounds.map((r) => r.targetProbability / r.propensity);
    const value = mean(a) / mean(b);
    const linearised = a.map((ai, i) => ai - value * b[i]!);
    const standardError = Math.sqrt(sampleVariance(linearised) / (a.length * mean(b) ** 2));
    const [, snips] = result.estimates;
    expect(snips!.value).toBeCloseTo(value, 14);
    expect(snips!.standardError).toBeCloseTo(standardError, 13);
    expect(snips!.normalCi[1] - snips!.normalCi[0]).toBeCloseTo(2 * z * standardError, 12);
  });
});

describe('bootstrap interval', () => {
  const rounds = randomLog(300, seededRandom('bootstrap'));

  it('is reproducible for a seed and changes with it', () => {
    const options = { estimators: [{ name: 'snips' as const }], bootstrap: 500 };
    const first = evaluate(rounds, { ...options, seed: 'a' }).estimates[0]!.ci;
    expect(evaluate(rounds, { ...options, seed: 'a' }).estimates[0]!.ci).toEqual(first);
    expect(evaluate(rounds, { ...options, seed: 'b' }).estimates[0]!.ci).not.toEqual(first);
  });

  it('is the plain row bootstrap for small n', () => {
    // An independent percentile bootstrap of the IPS mean with the same random stream: each resample
    // draws n row indices ⌊u·n⌋; the 2.5 % and 97.5 % points by simple-statistics' quantileSorted
    // are compared loosely (its quantile rule differs from numpy's), ours exactly by numpy's rule.
    const terms = rounds.map((r) => (r.targetProbability / r.propensity) * r.reward);
    const random = seededRandom('row');
    const means: number[] = [];
    for (let r = 0; r < 400; r++) {
      let sum = 0;
      for (let i = 0; i < terms.length; i++) sum += terms[Math.floor(random() * terms.length)]!;
      means.push(sum / terms.length);
    }
    means.sort((x, y) => x - y);
    const result = evaluate(rounds, { estimators: [{ name: 'ips' }], bootstrap: 400, seed: 'row' });
    expect(result.bootstrap).toEqual({ resamples: 400, blocks: 300, rowsPerBlock: 1 });
    const ci = result.estimates[0]!.ci;
    expect(ci[0]).toBeCloseTo(quantileSorted(means, 0.025), 14);
    expect(ci[1]).toBeCloseTo(quantileSorted(means, 0.975), 14);
    expect(ci[0]).toBeCloseTo(ssQuantile(means, 0.025), 2);
  });

  it('agrees with the row bootstrap within a few % on width for large n', () => {
    // 100 000 rows: the row bootstrap keeps every row (capacity 100 000); the block bootstrap at most
    // 4 000 blocks (here 3 125 blocks of 32 rows). With 2 000 resamples the Monte Carlo error of
    // each width is about 2 %.
    const large = randomLog(100_000, seededRandom('large'));
    const estimators = [{ name: 'ips' as const }, { name: 'snips' as const }];
    const rows = evaluate(large, { estimators, bootstrap: 2000, seed: 'w', maxBootstrapBlocks: 100_000 });
    const blocks = evaluate(large, { estimators, bootstrap: 2000, seed: 'w', maxBootstrapBlocks: 4_000 });
    expect(rows.bootstrap).toEqual({ resamples: 2000, blocks: 100_000, rowsPerBlock: 1 });
    expect(blocks.bootstrap).toEqual({ resamples: 2000, blocks: 3125, rowsPerBlock: 32 });
    const width = (ci: [number, number]): number => ci[1] - ci[0];
    for (let e = 0; e < estimators.length; e++) {
      const rowWidth = width(rows.estimates[e]!.ci);
      const blockWidth = width(blocks.estimates[e]!.ci);
      const normalWidth = width(rows.estimates[e]!.normalCi);
      expect(Math.abs(blockWidth / rowWidth - 1)).toBeLessThan(0.06);
      expect(Math.abs(blockWidth / normalWidth - 1)).toBeLessThan(0.06);
      expect(Math.abs(rowWidth / normalWidth - 1)).toBeLessThan(0.06);
    }
  });
});

describe('BlockBootstrap', () => {
  it('merges neighbouring blocks when full and keeps every row', () => {
    const store = new BlockBootstrap(1, 4);
    const terms = new Float64Array(1);
    for (let i = 1; i <= 11; i++) {
      terms[0] = i;
      store.add(terms);
    }
    // 4 single rows → merged into 2 blocks of 2; 4 full blocks of 2 (rows 1–8) → 2 blocks of 4;
    // then rows 9–11 fill one block of 4 partly: 3 blocks, the last partial.
    expect(store.rowsPerBlock).toBe(4);
    expect(store.blocks).toBe(3);
    let total = 0;
    store.resample(1, () => 0, (_r, means) => (total = means[0]!));
    // Drawing block 0 three times: mean of rows 1–4 = 2.5.
    expect(total).toBe(2.5);
  });
});
