import { describe, expect, it } from 'vitest';
import { EvaluationAccumulator, evaluate, parseEstimatorSpecs } from '../../src/evaluation/evaluate.js';
import type { EstimatorSpec, EvaluationRound } from '../../src/evaluation/evaluation-types.js';

/**
 * Four rounds, by hand (r, π_b, π_e, q̂(x, π_e) = directValue, q̂(x, a) = loggedActionPrediction):
 *   1: r = 1, π_b = 0.5,  π_e = 1,   dv = 0.6, q̂ = 0.5  →  w = 2,    r − q̂ = 0.5
 *   2: r = 0, π_b = 0.25, π_e = 0.5, dv = 0.4, q̂ = 0.2  →  w = 2,    r − q̂ = −0.2
 *   3: r = 1, π_b = 0.8,  π_e = 0.2, dv = 0.3, q̂ = 0.6  →  w = 0.25, r − q̂ = 0.4
 *   4: r = 0, π_b = 0.5,  π_e = 0,   dv = 0.1, q̂ = 0.4  →  w = 0,    r − q̂ = −0.4
 * Σw = 4.25, Σwr = 2.25, Σdv = 1.4, Σw(r − q̂) = 1 − 0.4 + 0.1 + 0 = 0.7, n = 4.
 */
const ROUNDS: EvaluationRound[] = [
  { reward: 1, propensity: 0.5, targetProbability: 1, directValue: 0.6, loggedActionPrediction: 0.5 },
  { reward: 0, propensity: 0.25, targetProbability: 0.5, directValue: 0.4, loggedActionPrediction: 0.2 },
  { reward: 1, propensity: 0.8, targetProbability: 0.2, directValue: 0.3, loggedActionPrediction: 0.6 },
  { reward: 0, propensity: 0.5, targetProbability: 0, directValue: 0.1, loggedActionPrediction: 0.4 },
];

function valueOf(spec: EstimatorSpec, rounds: EvaluationRound[] = ROUNDS): number {
  return evaluate(rounds, { estimators: [spec], bootstrap: 0, seed: 'hand' }).estimates[0]!.value;
}

describe('estimators on a hand-computed log', () => {
  it.each<[string, EstimatorSpec, number]>([
    // Σr / n = 2 / 4
    ['on-policy', { name: 'on-policy' }, 0.5],
    // Σwr / n = 2.25 / 4
    ['ips', { name: 'ips' }, 0.5625],
    // Σwr / Σw = 2.25 / 4.25 = 9/17
    ['snips', { name: 'snips' }, 9 / 17],
    // min(w, 1) = 1, 1, 0.25, 0 → Σ min(w, 1)·r = 1 + 0.25 → 1.25 / 4
    ['clipped-ips:1', { name: 'clipped-ips', parameter: 1 }, 0.3125],
    // Σdv / n = 1.4 / 4
    ['dm', { name: 'dm' }, 0.35],
    // (Σdv + Σw(r − q̂)) / n = (1.4 + 0.7) / 4
    ['dr', { name: 'dr' }, 0.525],
    // Σdv / n + Σw(r − q̂) / Σw = 0.35 + 0.7 / 4.25
    ['sndr', { name: 'sndr' }, 0.35 + 0.7 / 4.25],
    // 1{w ≤ 1} keeps rounds 3 and 4: (1.4 + 0.25·0.4 + 0) / 4
    ['switch-dr:1', { name: 'switch-dr', parameter: 1 }, 0.375],
    // w ≤ 2 is inclusive (as in OBP), so every round keeps its correction: DR's 0.525
    ['switch-dr:2', { name: 'switch-dr', parameter: 2 }, 0.525],
    // ŵ = 4w/(w² + 4) = 1, 1, 16/65, 0 → Σŵ(r − q̂) = 0.5 − 0.2 + (16/65)·0.4 = 0.3 + 32/325 → (1.4 + that) / 4
    ['dros:4', { name: 'dros', parameter: 4 }, (1.4 + 0.3 + 32 / 325) / 4],
    // λ = ∞ is DR; λ = 0 is DM
    ['dros:inf', { name: 'dros', parameter: Number.POSITIVE_INFINITY }, 0.525],
    ['dros:0', { name: 'dros', parameter: 0 }, 0.35],
  ])('%s', (_label, spec, expected) => {
    expect(valueOf(spec)).toBeCloseTo(expected, 14);
  });

  it('replay averages the rewards of the matched rounds (Li et al. 2011)', () => {
    // Matched (π_e = 1) rewards 1, 0, 1 → 2/3; unmatched rounds are ignored whatever their reward.
    const rounds = [1, 0, 1, 1, 0].map((reward, i) => ({ reward, propensity: 0.2, targetProbability: [1, 1, 0, 1, 0][i]! }));
    expect(valueOf({ name: 'replay' }, rounds)).toBeCloseTo(2 / 3, 15);
  });

  it('is NaN, with a plain warning, when no weight is left to normalise by', () => {
    const rounds = [{ reward: 1, propensity: 0.5, targetProbability: 0 }];
    const result = evaluate(rounds, { estimators: [{ name: 'snips' }, { name: 'replay' }], bootstrap: 10, seed: 's' });
    expect(result.estimates.map((e) => e.value)).toEqual([Number.NaN, Number.NaN]);
    expect(result.estimates[0]!.warnings).toContain(
      'the importance weights sum to 0 (the target policy never takes a logged action), so the estimate is undefined',
    );
    expect(result.estimates[1]!.warnings).toContain('no logged action matched the target policy, so replay has nothing to average');
  });

  it('reports Kish ESS, max weight and mean weight', () => {
    const result = evaluate(ROUNDS, { estimators: [{ name: 'ips' }, { name: 'clipped-ips', parameter: 1 }, { name: 'dm' }], bootstrap: 0, seed: 's' });
    // (Σw)² / Σw² = 4.25² / (4 + 4 + 0.0625) = 18.0625 / 8.0625
    expect(result.diagnostics.ess).toBeCloseTo(18.0625 / 8.0625, 14);
    expect(result.diagnostics.maxWeight).toBe(2);
    expect(result.diagnostics.meanWeight).toBeCloseTo(4.25 / 4, 15);
    // Clipped weights 1, 1, 0.25, 0: ESS 2.25² / 2.0625; DM weighs every round 1: ESS n.
    expect(result.estimates[1]!.ess).toBeCloseTo(2.25 ** 2 / 2.0625, 14);
    expect(result.estimates[1]!.maxWeight).toBe(1);
    expect(result.estimates[2]!.ess).toBe(4);
  });
});

describe('input checks at add()', () => {
  const good: EvaluationRound = { reward: 1, propensity: 0.5, targetProbability: 0.5, directValue: 0.4, loggedActionPrediction: 0.3 };
  it.each<[string, Record<string, unknown>, string]>([
    ['zero propensity', { propensity: 0 }, 'row 1: propensity must be in (0, 1], got 0'],
    ['propensity above 1', { propensity: 1.5 }, 'row 1: propensity must be in (0, 1], got 1.5'],
    ['NaN propensity', { propensity: Number.NaN }, 'row 1: propensity must be in (0, 1], got NaN'],
    ['negative target probability', { targetProbability: -0.1 }, 'row 1: targetProbability must be in [0, 1], got -0.1'],
    ['target probability above 1', { targetProbability: 2 }, 'row 1: targetProbability must be in [0, 1], got 2'],
    ['infinite reward', { reward: Number.POSITIVE_INFINITY }, 'row 1: reward must be a finite number, got Infinity'],
    ['reward as a string', { reward: '1' }, 'row 1: reward must be a finite number, got 1'],
    ['missing directValue', { directValue: undefined }, 'row 1: directValue must be a finite number (needed by dm, dr), got undefined'],
    [
      'missing loggedActionPrediction',
      { loggedActionPrediction: undefined },
      'row 1: loggedActionPrediction must be a finite number (needed by dr), got undefined',
    ],
    ['support deficiency above 1', { unsupportedTargetMass: 1.2 }, 'row 1: unsupportedTargetMass must be in [0, 1], got 1.2'],
  ])('refuses %s with the field and row named', (_label, change, message) => {
    const accumulator = new EvaluationAccumulator({ estimators: [{ name: 'dm' }, { name: 'dr' }], seed: 's' });
    accumulator.add(good);
    expect(() => accumulator.add({ ...good, ...change } as EvaluationRound)).toThrow(message);
    expect(() => accumulator.add({ ...good, ...change } as EvaluationRound)).toThrow(RangeError);
    // The refused row changed nothing.
    expect(accumulator.result().rows).toBe(1);
  });

  it('needs no reward model for IPS-type estimators', () => {
    const accumulator = new EvaluationAccumulator({ estimators: [{ name: 'ips' }], seed: 's' });
    expect(() => accumulator.add({ reward: 0, propensity: 1, targetProbability: 1 })).not.toThrow();
  });

  it('asks replay for a 0-or-1 target probability', () => {
    const accumulator = new EvaluationAccumulator({ estimators: [{ name: 'replay' }], seed: 's' });
    expect(() => accumulator.add({ reward: 0, propensity: 0.2, targetProbability: 0.5 })).toThrow(
      'row 0: targetProbability must be 0 or 1 for replay (did the target policy choose the logged action?), got 0.5',
    );
  });

  it.each<[string, object, string]>([
    ['no estimators', { estimators: [], seed: 's' }, 'estimators must list at least one estimator'],
    ['a fractional bootstrap', { estimators: [{ name: 'ips' }], bootstrap: 2.5, seed: 's' }, 'bootstrap must be a whole number of resamples >= 0, got 2.5'],
    ['an empty seed', { estimators: [{ name: 'ips' }], seed: '' }, 'seed must be a non-empty string'],
    ['level 1', { estimators: [{ name: 'ips' }], seed: 's', level: 1 }, 'level must be in (0, 1), got 1'],
    ['a duplicate', { estimators: [{ name: 'ips' }, { name: 'ips' }], seed: 's' }, 'estimator ips is listed twice'],
    ['a missing threshold', { estimators: [{ name: 'switch-dr' }], seed: 's' }, 'switch-dr needs its weight threshold λ, e.g. switch-dr:10'],
    ['a negative clip', { estimators: [{ name: 'clipped-ips', parameter: -1 }], seed: 's' }, 'clipped-ips parameter must be a number >= 0, got -1'],
    ['a superfluous parameter', { estimators: [{ name: 'ips', parameter: 3 }], seed: 's' }, 'ips takes no parameter, got 3'],
    ['an odd block capacity', { estimators: [{ name: 'ips' }], seed: 's', maxBootstrapBlocks: 7 }, 'bootstrap block capacity must be an even integer >= 2, got 7'],
  ])('refuses options with %s', (_label, options, message) => {
    expect(() => new EvaluationAccumulator(options as never)).toThrow(message);
  });
});

describe('parseEstimatorSpecs', () => {
  it('parses names and parameters', () => {
    expect(parseEstimatorSpecs('ips, snips,switch-dr:10,dros:5,clipped-ips:100,dros:inf,dm,dr,sndr,on-policy,replay')).toEqual([
      { name: 'ips' },
      { name: 'snips' },
      { name: 'switch-dr', parameter: 10 },
      { name: 'dros', parameter: 5 },
      { name: 'clipped-ips', parameter: 100 },
      { name: 'dros', parameter: Number.POSITIVE_INFINITY },
      { name: 'dm' },
      { name: 'dr' },
      { name: 'sndr' },
      { name: 'on-policy' },
      { name: 'replay' },
    ]);
    expect(parseEstimatorSpecs('switch-dr:0.5,switch-dr:1e2')).toEqual([
      { name: 'switch-dr', parameter: 0.5 },
      { name: 'switch-dr', parameter: 100 },
    ]);
  });

  it.each([
    ['', 'estimator list is empty'],
    ['ips,,snips', 'estimator list item 2 is empty'],
    [
      'ips,ipw',
      'estimator list item 2: unknown estimator "ipw"; known estimators: on-policy, ips, snips, clipped-ips, dm, dr, sndr, switch-dr, dros, replay',
    ],
    ['switch-dr', 'estimator list item 1: switch-dr needs its weight threshold λ, e.g. switch-dr:10'],
    ['dros:', 'estimator list item 1: parameter of dros must be a number >= 0 or inf, got ""'],
    ['clipped-ips:-3', 'estimator list item 1: parameter of clipped-ips must be a number >= 0 or inf, got "-3"'],
    ['clipped-ips:0x10', 'estimator list item 1: parameter of clipped-ips must be a number >= 0 or inf, got "0x10"'],
    ['ips:2', 'estimator list item 1: ips takes no parameter, got 2'],
    ['dros:5,ips,dros:5.0', 'estimator list item 3: "dros:5.0" is listed twice'],
  ])('refuses %j', (text, message) => {
    expect(() => parseEstimatorSpecs(text)).toThrow(message);
  });
});

describe('warnings', () => {
  it('flags few rows, DM and non-uniform logging for replay', () => {
    const result = evaluate(
      [
        { reward: 1, propensity: 0.5, targetProbability: 1, directValue: 0.5 },
        { reward: 0, propensity: 0.25, targetProbability: 0, directValue: 0.5 },
      ],
      { estimators: [{ name: 'dm' }, { name: 'replay' }], bootstrap: 0, seed: 's' },
    );
    const [dm, replay] = result.estimates;
    expect(dm!.warnings).toEqual([
      'only 2 rows: below 1000 rows estimates are rough and their intervals unreliable',
      'DM relies entirely on the reward model: its interval shows only the spread of the predictions, not the model’s own error; check it against DR or SNDR before trusting it',
    ]);
    expect(replay!.warnings).toContain(
      'the logging propensities are not uniform (from 0.250 to 0.500): replay is unbiased only under uniform random logging; use IPS or DR instead',
    );
  });

  it('flags a low ESS, a dominating row, a mean weight away from 1 and support deficiency', () => {
    // 2 000 rows: one with w = 1/0.004 = 250, the rest with w = 0.125/0.5 = 0.25.
    // Σw = 250 + 1999·0.25 = 749.75, Σw² = 62 500 + 1999/16 = 62 624.9375:
    // ESS = 749.75² / 62 624.9375 = 8.98; one row holds 250/749.75 = 33 % of Σw; mean weight 0.375,
    // 0.625 from 1 and more than 3 standard errors (s ≈ 5.6, s/√n ≈ 0.125) away.
    const rounds: EvaluationRound[] = Array.from({ length: 2000 }, (_, i) =>
      i === 0
        ? { reward: 1, propensity: 0.004, targetProbability: 1, unsupportedTargetMass: 0.05 }
        : { reward: i % 2, propensity: 0.5, targetProbability: 0.125, unsupportedTargetMass: 0.05 },
    );
    const [ips, snips] = evaluate(rounds, { estimators: [{ name: 'ips' }, { name: 'snips' }], bootstrap: 0, seed: 's' }).estimates;
    expect(ips!.warnings).toEqual([
      'effective sample size is 8.98 of 2000 rows (0.45 %): a few rows carry the estimate, so it is very noisy',
      'a single row carries 33 % of the total weight: the estimate hinges on one observation',
      "the mean importance weight is 0.375, but it should be close to 1: check that the propensities are the logging policy's probabilities of the logged actions and that the target probabilities are for the same actions",
      "5.0 % of the target policy's probability is on actions the logging policy never takes: ips cannot see those actions and is biased (DR-type estimators fill them in from the reward model)",
    ]);
    expect(snips!.warnings).toHaveLength(4);
  });

  it('stays quiet on a healthy log', () => {
    const rounds = Array.from({ length: 5000 }, (_, i) => ({ reward: i % 3 === 0 ? 1 : 0, propensity: 0.5, targetProbability: i % 2 === 0 ? 0.4 : 0.6 }));
    const result = evaluate(rounds, { estimators: [{ name: 'ips' }, { name: 'snips' }], bootstrap: 0, seed: 's' });
    expect(result.estimates.flatMap((e) => e.warnings)).toEqual([]);
  });
});
