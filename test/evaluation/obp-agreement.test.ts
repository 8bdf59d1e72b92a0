import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluation/evaluate.js';
import type { EstimatorSpec, EvaluationRound } from '../../src/evaluation/evaluation-types.js';

/** Inputs and Open Bandit Pipeline's outputs; see test/fixtures/obp/README.md for how they were made. */
interface Golden {
  source: string;
  inputs: {
    action: number[];
    pscore: number[];
    actionDist: number[][];
    deterministicActionDist: number[][];
    qHat: number[][];
    reward: number[];
  };
  values: Record<string, number>;
}

const golden = JSON.parse(readFileSync(new URL('../fixtures/obp/estimators-golden.json', import.meta.url), 'utf8')) as Golden;

function rounds(actionDist: number[][]): EvaluationRound[] {
  const { action, pscore, qHat, reward } = golden.inputs;
  return action.map((a, i) => {
    const pi = actionDist[i]!;
    const q = qHat[i]!;
    // OBP's DM term is np.average(q̂, weights=π_e) = Σₐ π_e q̂ / Σₐ π_e.
    const directValue = pi.reduce((s, p, b) => s + p * q[b]!, 0) / pi.reduce((s, p) => s + p, 0);
    return {
      reward: reward[i]!,
      propensity: pscore[i]!,
      targetProbability: pi[a]!,
      directValue,
      loggedActionPrediction: q[a]!,
    };
  });
}

function spec(key: string): EstimatorSpec {
  const [name, parameter] = key.split(':');
  return parameter === undefined ? ({ name } as EstimatorSpec) : ({ name, parameter: Number(parameter) } as EstimatorSpec);
}

describe('agreement with Open Bandit Pipeline', () => {
  const stochastic = Object.keys(golden.values).filter((key) => key !== 'replay');
  const result = evaluate(rounds(golden.inputs.actionDist), { estimators: stochastic.map(spec), bootstrap: 0, seed: 'obp' });

  it('reads 1 000 rounds of 5 actions', () => {
    expect(golden.inputs.action).toHaveLength(1000);
    expect(golden.inputs.actionDist[0]).toHaveLength(5);
    expect(result.rows).toBe(1000);
  });

  it.each(stochastic)('%s equals OBP to 1e-12 relative', (key) => {
    const index = stochastic.indexOf(key);
    const ours = result.estimates[index]!.value;
    const theirs = golden.values[key]!;
    expect(Math.abs(ours - theirs) / Math.abs(theirs)).toBeLessThan(1e-12);
  });

  it('replay equals OBP ReplayMethod to 1e-12 relative on a deterministic target policy', () => {
    const replay = evaluate(rounds(golden.inputs.deterministicActionDist), {
      estimators: [{ name: 'replay' }],
      bootstrap: 0,
      seed: 'obp',
    });
    const theirs = golden.values.replay!;
    expect(Math.abs(replay.estimates[0]!.value - theirs) / theirs).toBeLessThan(1e-12);
  });
});
