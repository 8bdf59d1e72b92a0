import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/learners/create-policy.js';
import type { LearnerConfig } from '../../src/learners/learner-config.js';
import { chiSquareGoodnessOfFit } from '../../src/stats/chi-square.js';
import { seededRandom, standardNormal } from '../../src/stats/random.js';

/**
 * 100 000 seeded decisions for one fixed context and state: the chosen arms must follow the reported
 * distributions. Each decision reports its own vector (the Thompson learners' Monte Carlo estimate
 * varies with the seed), so the expected count of arm k is Σᵢ πᵢ(k); Pearson's test against it is
 * then conservative. Seeds are fixed, so the outcome is deterministic; with fresh seeds it would fail
 * with probability at most 0.001 per learner.
 */
const configs: LearnerConfig[] = [
  { kind: 'linucb', alpha: 0.5, epsilon: 0.2 },
  { kind: 'lints', v: 0.5, epsilon: 0.1, draws: 100 },
  { kind: 'thompson', epsilon: 0.05, draws: 100 },
  { kind: 'uniform' },
];

describe.each(configs)('chosen arms follow the reported distribution ($kind)', (config) => {
  it('passes a chi-square goodness-of-fit test over 100 000 decisions (p > 0.001)', () => {
    const candidates = ['podcast', 'album', 'audiobook', 'video', 'campaign'];
    const dimension = 4;
    const policy = createPolicy(config, dimension);
    const training = seededRandom('state');
    for (let t = 0; t < 500; t++) {
      const x = Float64Array.from({ length: dimension }, (_, i) => (i === 0 ? 1 : standardNormal(training)));
      const arm = t % candidates.length;
      policy.learner.learn(candidates[arm]!, x, training() < 0.1 + 0.1 * arm ? 1 : 0, training);
    }
    const context = Float64Array.of(1, 0.3, -0.2, 0.8);
    const observed = new Float64Array(candidates.length);
    const expected = new Float64Array(candidates.length);
    for (let i = 0; i < 100_000; i++) {
      const { probabilities, chosen } = policy.decide(context, candidates, seededRandom(`chi-square:${i}`));
      observed[chosen]! += 1;
      probabilities.forEach((p, k) => (expected[k]! += p));
    }
    const { pValue } = chiSquareGoodnessOfFit(observed, expected);
    expect(pValue).toBeGreaterThan(0.001);
    expect(Math.min(...expected)).toBeGreaterThan(100);
  });
});
