import { describe, expect, it } from 'vitest';
import { normalArgmaxProbabilities } from '../../bench/argmax-probabilities.js';
import { createPolicy } from '../../src/learners/create-policy.js';
import type { LinTs } from '../../src/learners/lin-ts.js';
import { dot } from '../../src/linalg/vector.js';
import { chiSquareGoodnessOfFit } from '../../src/stats/chi-square.js';
import { seededRandom, standardNormal } from '../../src/stats/random.js';

/**
 * LinTS logs the Monte Carlo estimate p̂ of Thompson sampling's action distribution and draws the arm
 * from p̂. Drawing from the empirical distribution of M draws' winners is drawing one winner, which is
 * one posterior draw's argmax: so the arm served follows Thompson sampling's exact distribution
 * (mixed with the ε floor) for every M, however coarse the logged vector. M only sets how close
 * that vector is to the exact probabilities. Seeds are fixed, so the outcome is deterministic.
 */
describe('the arm LinTS serves', () => {
  const candidates = ['podcast', 'album', 'audiobook', 'video', 'campaign'];
  const dimension = 4;
  const epsilon = 0.1;
  const draws = 4;

  it('follows the exact Thompson distribution with the ε floor even at M = 4 (chi-square over 100 000 decisions)', () => {
    const policy = createPolicy({ kind: 'lints', v: 0.5, epsilon, draws }, dimension);
    const learner = policy.learner as LinTs;
    const training = seededRandom('lints-served-arm');
    for (let t = 0; t < 300; t++) {
      const x = Float64Array.from({ length: dimension }, (_, i) => (i === 0 ? 1 : standardNormal(training)));
      const arm = t % candidates.length;
      learner.learn(candidates[arm]!, x, training() < 0.15 + 0.12 * arm ? 1 : 0, training);
    }
    const context = Float64Array.of(1, 0.3, -0.2, 0.8);
    const exact = normalArgmaxProbabilities(
      candidates.map((arm) => dot(learner.posterior(arm).mean(), context)),
      candidates.map((arm) => learner.v * Math.sqrt(learner.posterior(arm).quadraticForm(context))),
    );
    const decisions = 100_000;
    const observed = new Float64Array(candidates.length);
    let largestLoggedError = 0;
    for (let i = 0; i < decisions; i++) {
      const { probabilities, chosen } = policy.decide(context, candidates, seededRandom(`lints-served-arm:${i}`));
      observed[chosen]! += 1;
      probabilities.forEach((p, k) => (largestLoggedError = Math.max(largestLoggedError, Math.abs(p - ((1 - epsilon) * exact[k]! + epsilon / candidates.length)))));
    }
    const expected = Float64Array.from(exact, (p) => decisions * ((1 - epsilon) * p + epsilon / candidates.length));
    // Not a vacuous check: the state leaves more than one arm in contention, and each logged vector
    // is coarse (multiples of 1/4 before the floor), far from the exact probabilities.
    expect(exact.filter((p) => p > 0.05).length).toBeGreaterThanOrEqual(2);
    expect(largestLoggedError).toBeGreaterThan(0.2);
    expect(chiSquareGoodnessOfFit(observed, expected).pValue).toBeGreaterThan(0.001);
  });
});
