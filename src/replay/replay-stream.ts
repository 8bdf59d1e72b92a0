import { seededRandom } from '../stats/random.js';
import type { Policy } from '../learners/policy.js';
import type { BanditStream } from './bandit-stream.js';

export interface ReplayResult {
  rounds: number;
  averageReward: number;
  lastQuarterAverageReward: number;
  /** Σₜ (maxₖ rₜ[k] − rₜ[aₜ]): regret against the best reward of each round. */
  regret: number;
  /** Σₜ (maxₖ pₜ[k] − pₜ[aₜ]), when the stream carries expected rewards. */
  pseudoRegret?: number;
  /** Mean of pₜ[aₜ], when the stream carries expected rewards. */
  averageExpectedReward?: number;
  /** The arm chosen in each round. */
  chosenArms: Int32Array;
}

/**
 * Runs a policy along a full-information stream under the bandit protocol: at round t it sees xₜ,
 * chooses aₜ from its action distribution, observes only rₜ[aₜ] and learns it at once. Round t draws
 * from `seededRandom(seed:t)`, as the service draws from the decision's own seed.
 * Arms are named "0", "1", … after their column.
 */
export function replayStream(stream: BanditStream, policy: Policy, seed: string): ReplayResult {
  const arms = Array.from({ length: stream.armCount }, (_, k) => String(k));
  const rounds = stream.contexts.length;
  const chosenArms = new Int32Array(rounds);
  const quarterStart = Math.floor((rounds * 3) / 4);
  let total = 0;
  let lastQuarter = 0;
  let regret = 0;
  let pseudoRegret = 0;
  let expectedTotal = 0;
  for (let t = 0; t < rounds; t++) {
    const context = stream.contexts[t]!;
    const rewards = stream.rewards[t]!;
    const random = seededRandom(`${seed}:${t}`);
    const { chosen } = policy.decide(context, arms, random);
    const reward = rewards[chosen]!;
    policy.learner.learn(arms[chosen]!, context, reward, random);
    chosenArms[t] = chosen;
    total += reward;
    if (t >= quarterStart) lastQuarter += reward;
    regret += Math.max(...rewards) - reward;
    const expected = stream.expectedRewards?.[t];
    if (expected) {
      pseudoRegret += Math.max(...expected) - expected[chosen]!;
      expectedTotal += expected[chosen]!;
    }
  }
  const result: ReplayResult = {
    rounds,
    averageReward: total / rounds,
    lastQuarterAverageReward: lastQuarter / (rounds - quarterStart),
    regret,
    chosenArms,
  };
  if (stream.expectedRewards) {
    result.pseudoRegret = pseudoRegret;
    result.averageExpectedReward = expectedTotal / rounds;
  }
  return result;
}
