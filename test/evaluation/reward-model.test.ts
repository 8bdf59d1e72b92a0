import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceRound } from '../../src/evaluation/inputs/round-source.js';
import { fitCrossFittedRidge } from '../../src/evaluation/reward-model/cross-fitted-ridge.js';
import { HashedContextEncoder } from '../../src/evaluation/reward-model/hashed-context.js';
import { openPredictionFile } from '../../src/evaluation/reward-model/prediction-file.js';
import { fitRidge, RidgeStatistics } from '../../src/evaluation/reward-model/ridge-regression.js';

const round = (action: string, reward: number, context: SourceRound['context'] = {}): SourceRound => ({ action, reward, propensity: 0.5, context });

describe('fitRidge', () => {
  it('solves (λI + Σ xxᵀ)θ = Σ rx: intercept only, rewards 1, 1, 0, λ = 1 → θ = 2 / (1 + 3)', () => {
    const statistics = new RidgeStatistics(1);
    for (const reward of [1, 1, 0]) statistics.add({ indices: Int32Array.of(0), values: Float64Array.of(1) }, reward);
    expect(Array.from(fitRidge([statistics], 1, 1))).toEqual([0.5]);
  });

  it('fits y = 2x exactly in the limit of a small λ (two coordinates)', () => {
    const statistics = new RidgeStatistics(2);
    for (const x of [1, 2, 3, 4]) statistics.add({ indices: Int32Array.of(0, 1), values: Float64Array.of(1, x) }, 2 * x);
    const [intercept, slope] = fitRidge([statistics], 2, 1e-9);
    expect(intercept).toBeCloseTo(0, 6);
    expect(slope).toBeCloseTo(2, 6);
  });

  it.each([0, -1, Infinity])('rejects λ = %d', (lambda) => {
    expect(() => fitRidge([], 1, lambda)).toThrow(`ridge lambda must be a finite number > 0, got ${lambda}`);
  });
});

describe('HashedContextEncoder', () => {
  it('puts the intercept at 0 and each feature at its hashed coordinate, sorted', () => {
    const encoder = new HashedContextEncoder(4);
    expect(encoder.dimension).toBe(17);
    const { indices, values } = encoder.encode({ x: 2.5, premium: true, off: false, device: 'ios', zero: 0 });
    expect(indices[0]).toBe(0);
    expect(values[0]).toBe(1);
    expect(Array.from(indices)).toEqual([...indices].sort((a, b) => a - b));
    expect(values.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1 + 2.5 + 1 + 1);
    expect(encoder.encode({ device: 'ios' })).toEqual(encoder.encode({ device: 'ios' }));
  });

  it.each([0, 17, 1.5])('rejects %d bits', (bits) => {
    expect(() => new HashedContextEncoder(bits)).toThrow(`hash bits must be an integer in [1, 16], got ${bits}`);
  });
});

describe('fitCrossFittedRidge', () => {
  it('predicts each fold from the other fold only (K = 2, rows by parity)', async () => {
    // Fold 0 = rows 0 and 2 (reward 1), fold 1 = rows 1 and 3 (reward 0); intercept-only contexts.
    // Rows of fold 0 get θ fitted on fold 1: 0 / (1 + 2) = 0; rows of fold 1 get 2 / (1 + 2) = 2/3.
    const rows = [round('a', 1), round('a', 0), round('a', 1), round('a', 0)];
    async function* source() {
      yield* rows;
    }
    const predictor = (await fitCrossFittedRidge(source))();
    const predictions = await Promise.all(rows.map((row) => predictor.next(row, ['a', 'never-logged'])));
    const expected = [[0, 0], [2 / 3, 0], [0, 0], [2 / 3, 0]];
    predictions.forEach((p, row) => p.forEach((value, a) => expect(value).toBeCloseTo(expected[row]![a]!, 12)));
    expect(() => predictor.finish()).not.toThrow();
  });

  it('reports a source that changed between the two passes', async () => {
    async function* source() {
      yield round('a', 1);
      yield round('a', 0);
    }
    const predictor = (await fitCrossFittedRidge(source))();
    predictor.next(round('a', 1), ['a']);
    expect(() => predictor.finish()).toThrow('the reward model was fit on 2 rounds but asked for 1: the source changed between passes');
  });

  it.each([1, 2.5])('rejects %d folds', async (folds) => {
    await expect(fitCrossFittedRidge(async function* () {}, { folds })).rejects.toThrow(`folds must be an integer ≥ 2, got ${folds}`);
  });
});

describe('openPredictionFile', () => {
  it('reads q̂ in lock-step by action id, and reports a row-count mismatch', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'limelight-qhat-'));
    try {
      const file = join(dir, 'qhat.csv');
      await writeFile(file, 'a,b\n0.5,-1\n');
      const predictor = await openPredictionFile(file);
      expect(Array.from(await predictor.next(round('a', 1), ['b', 'a']))).toEqual([-1, 0.5]);
      await expect(predictor.next(round('a', 1), ['a'])).rejects.toThrow(`${file}:3: has 1 rows but the log has more rounds`);
      const missing = await openPredictionFile(file);
      await expect(missing.next(round('a', 1), ['c'])).rejects.toThrow(`${file}:1: has no column for action "c"`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
