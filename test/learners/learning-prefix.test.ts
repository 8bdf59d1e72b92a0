import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readReferenceTrace, traceAgreement } from '../../bench/reference-trace.js';
import { createPolicy } from '../../src/learners/create-policy.js';
import type { LearnerConfig } from '../../src/learners/learner-config.js';
import { readBanditStream, type BanditStream } from '../../src/replay/bandit-stream.js';
import { replayStream } from '../../src/replay/replay-stream.js';

/** First 3,000 rounds of the shared linear-synth stream and of its LinUCB α = 0.25 reference trace (MABWiser 2.x). */
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('learning on the first 3,000 rounds of linear-synth', () => {
  let stream: BanditStream;
  beforeAll(async () => {
    stream = await readBanditStream(fixture('linear-synth-head.csv'));
  });

  const meanPseudoReward = (config: LearnerConfig, seeds: string[]) =>
    seeds.reduce((sum, seed) => sum + replayStream(stream, createPolicy(config, 11), seed).averageExpectedReward!, 0) / seeds.length;

  it('LinUCB α = 0.25 (ε = 0, lowest-index ties) chooses the reference arm in every round', async () => {
    const trace = await readReferenceTrace(fixture('linear-synth.linucb-alpha0.25-head.csv'));
    const policy = createPolicy({ kind: 'linucb', alpha: 0.25, epsilon: 0, tieBreak: 'lowest-index' }, 11);
    const { chosenArms } = replayStream(stream, policy, '0');
    expect(trace.length).toBe(3000);
    expect(traceAgreement(chosenArms, trace)).toEqual({ agreeing: 3000, firstDeparture: -1 });
  });

  // Thresholds sit far from the measured values (LinTS ≈ 0.37–0.38 per seed, uniform ≈ 0.20 with
  // sd ≈ 0.003 over 3,000 rounds), so with these fixed seeds the test is deterministic and not flaky.
  it('LinTS v = 0.25 learns: mean pseudo-reward over 3 seeds ≥ 0.35', () => {
    expect(meanPseudoReward({ kind: 'lints', v: 0.25 }, ['1', '2', '3'])).toBeGreaterThanOrEqual(0.35);
  });

  it('uniform does not: mean pseudo-reward < 0.25', () => {
    expect(meanPseudoReward({ kind: 'uniform' }, ['1', '2', '3'])).toBeLessThan(0.25);
  });
});
