import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluation/evaluate.js';
import type { EstimatorSpec, EvaluationRound } from '../../src/evaluation/evaluation-types.js';
import { seededRandom, type Random } from '../../src/stats/random.js';

/** A logged-bandit problem with finitely many contexts, so its true policy value is an exact sum. */
interface Problem {
  contexts: number;
  actions: number;
  /** μ(x, a), the mean reward (rewards are Bernoulli(μ)). */
  meanReward: number[][];
  /** π_b(a|x), full support. */
  logging: number[][];
  /** π_e(a|x). */
  target: number[][];
  /** q̂(x, a), a deliberately wrong reward model. */
  model: number[][];
}

/** V(π_e) = (1/|X|) Σₓ Σₐ π_e(a|x) μ(x, a), contexts uniform. */
function trueValue(p: Problem): number {
  let total = 0;
  for (let x = 0; x < p.contexts; x++) for (let a = 0; a < p.actions; a++) total += p.target[x]![a]! * p.meanReward[x]![a]!;
  return total / p.contexts;
}

function draw(probabilities: number[], random: Random): number {
  let u = random();
  for (let a = 0; a < probabilities.length - 1; a++) {
    u -= probabilities[a]!;
    if (u < 0) return a;
  }
  return probabilities.length - 1;
}

function* simulate(p: Problem, rows: number, random: Random): Generator<EvaluationRound> {
  for (let i = 0; i < rows; i++) {
    const x = Math.floor(random() * p.contexts);
    const a = draw(p.logging[x]!, random);
    let directValue = 0;
    for (let b = 0; b < p.actions; b++) directValue += p.target[x]![b]! * p.model[x]![b]!;
    yield {
      reward: random() < p.meanReward[x]![a]! ? 1 : 0,
      propensity: p.logging[x]![a]!,
      targetProbability: p.target[x]![a]!,
      directValue,
      loggedActionPrediction: p.model[x]![a]!,
    };
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * K = 5 actions, 10 contexts; the logging policy is a softmax that differs by context (propensities from
 * 0.04 to 0.47), the target policy puts 0.7 on the context's best action and 0.075 on each other one,
 * and the reward model is off by ±0.15 depending on the action.
 */
function contextualProblem(): Problem {
  const contexts = 10;
  const actions = 5;
  const meanReward = range(contexts).map((x) => range(actions).map((a) => 0.1 + 0.8 * ((((x + 1) * (a + 2) * 37) % 100) / 100)));
  const logging = range(contexts).map((x) => {
    const scores = range(actions).map((a) => Math.exp(0.6 * ((x + a) % actions)));
    const total = scores.reduce((s, v) => s + v, 0);
    return scores.map((v) => v / total);
  });
  const target = meanReward.map((row) => {
    const best = row.indexOf(Math.max(...row));
    return row.map((_, a) => (a === best ? 0.7 : 0.075));
  });
  const model = meanReward.map((row) => row.map((mu, a) => Math.min(1, Math.max(0, mu + (a % 2 === 0 ? 0.15 : -0.15)))));
  return { contexts, actions, meanReward, logging, target, model };
}

describe('interval coverage on a problem with a known policy value', () => {
  it('covers the true value with the 95 % bootstrap intervals of DR and SNIPS in ≥ 90 of 100 replications', () => {
    // If the intervals had exactly 95 % coverage, the number of covering replications would be
    // Binomial(100, 0.95) and P(X < 90) = 0.0115 (scipy.stats.binom.cdf(89, 100, 0.95), SciPy 1.17.1):
    // the false-failure rate of each check. The seeds are fixed, so the outcome is reproducible.
    const problem = contextualProblem();
    const truth = trueValue(problem);
    const estimators: EstimatorSpec[] = [{ name: 'dr' }, { name: 'snips' }];
    const covered = { dr: 0, snips: 0, drNormal: 0, snipsNormal: 0 };
    for (let replication = 0; replication < 100; replication++) {
      const random = seededRandom(`coverage-${replication}`);
      const result = evaluate(simulate(problem, 2_000, random), { estimators, bootstrap: 200, seed: `boot-${replication}` });
      const [dr, snips] = result.estimates;
      const inside = (ci: [number, number]): boolean => ci[0] <= truth && truth <= ci[1];
      if (inside(dr!.ci)) covered.dr++;
      if (inside(snips!.ci)) covered.snips++;
      if (inside(dr!.normalCi)) covered.drNormal++;
      if (inside(snips!.normalCi)) covered.snipsNormal++;
    }
    expect(covered.dr).toBeGreaterThanOrEqual(90);
    expect(covered.snips).toBeGreaterThanOrEqual(90);
    expect(covered.drNormal).toBeGreaterThanOrEqual(90);
    expect(covered.snipsNormal).toBeGreaterThanOrEqual(90);
  });
});

/**
 * One context, K = 5: the logging policy rarely takes action 0 (π_b = 0.02, the others 0.245), the
 * target policy mostly does (π_e = 0.9, the others 0.025). Action 0 pays Bernoulli(0.9), the others
 * Bernoulli(0.2). True value 0.9·0.9 + 0.1·0.2 = 0.83. Weights are 45 on action 0 and ≈ 0.102 elsewhere.
 */
function rareActionProblem(): Problem {
  return {
    contexts: 1,
    actions: 5,
    meanReward: [[0.9, 0.2, 0.2, 0.2, 0.2]],
    logging: [[0.02, 0.245, 0.245, 0.245, 0.245]],
    target: [[0.9, 0.025, 0.025, 0.025, 0.025]],
    model: [[0, 0, 0, 0, 0]],
  };
}

/** Mean over replications of each estimate, and the Monte Carlo standard error of the IPS and SNIPS means. */
function meanEstimates(rows: number, replications: number) {
  const problem = rareActionProblem();
  const totals = { ips: 0, snips: 0, clipped: 0, ipsSquares: 0, snipsSquares: 0 };
  for (let replication = 0; replication < replications; replication++) {
    const result = evaluate(simulate(problem, rows, seededRandom(`bias-${rows}-${replication}`)), {
      estimators: [{ name: 'ips' }, { name: 'snips' }, { name: 'clipped-ips', parameter: 10 }],
      bootstrap: 0,
      seed: 'unused',
    });
    const [ips, snips, clipped] = result.estimates.map((e) => e.value);
    totals.ips += ips!;
    totals.ipsSquares += ips! * ips!;
    totals.snips += snips!;
    totals.snipsSquares += snips! * snips!;
    totals.clipped += clipped!;
  }
  const mean = (sum: number): number => sum / replications;
  const standardError = (sum: number, squares: number): number =>
    Math.sqrt((squares - (sum * sum) / replications) / (replications - 1) / replications);
  return {
    ips: mean(totals.ips),
    snips: mean(totals.snips),
    clipped: mean(totals.clipped),
    ipsSe: standardError(totals.ips, totals.ipsSquares),
    snipsSe: standardError(totals.snips, totals.snipsSquares),
  };
}

describe('bias as the log grows', () => {
  it('shrinks for SNIPS, is absent for IPS, and stays for clipped IPS', () => {
    const truth = trueValue(rareActionProblem());
    expect(truth).toBeCloseTo(0.83, 12);
    const small = meanEstimates(200, 2_000);
    const large = meanEstimates(20_000, 100);
    const bias = (value: number): number => Math.abs(value - truth);
    // SNIPS's O(1/n) bias: visible at 200 rows, a small fraction of that at 20 000.
    expect(bias(small.snips)).toBeGreaterThan(4 * small.snipsSe);
    expect(bias(large.snips)).toBeLessThan(bias(small.snips) / 5);
    // IPS is unbiased: its mean is within 3 Monte Carlo standard errors of the truth at both sizes.
    expect(bias(small.ips)).toBeLessThan(3 * small.ipsSe);
    expect(bias(large.ips)).toBeLessThan(3 * large.ipsSe);
    // Clipping at 10 removes E[(w − 10)·r] = 0.02·(45 − 10)·0.9 = 0.63 whatever the number of rows.
    expect(small.clipped - truth).toBeCloseTo(-0.63, 1);
    expect(large.clipped - truth).toBeCloseTo(-0.63, 2);
  });
});
