import type { ChooseResponse, RewardResponse } from '../api/api-types.js';
import type { BanditStream } from '../replay/bandit-stream.js';
import { seededRandom } from '../stats/random.js';
import { rewardPlan, type RewardScheduleOptions } from './reward-schedule.js';
import type { ServiceClient } from './service-client.js';
import type { StreamSurface } from './stream-surface.js';

export interface PopulationOptions {
  /** Base URLs of the replicas; round t asks replica t mod n. */
  replicas: readonly string[];
  client: ServiceClient;
  stream: BanditStream;
  surface: StreamSurface;
  /** The first `rounds` rows of the stream are the visits. */
  rounds: number;
  /** `/choose` requests in flight at once. */
  concurrency: number;
  schedule: RewardScheduleOptions;
  /** Round t's reward plan and routing draw from `seededRandom(seed:t)`. */
  seed: string;
  onProgress?: (done: number) => void;
}

/** One acknowledged decision and its ground truth. */
export interface ServedDecision {
  round: number;
  decisionId: string;
  policy: string;
  /** The chosen arm's column in the stream. */
  arm: number;
  /** The stream's reward of the chosen arm, whatever was posted. */
  reward: number;
}

export interface PopulationTally {
  /** Every acknowledged decision, in round order. */
  decisions: ServedDecision[];
  /** Posts the service recorded (`duplicate: false`). */
  recorded: number;
  /** Second posts the service refused as duplicates (`duplicate: true`). */
  duplicatesRefused: number;
  /** Decisions whose reward the service recorded more than once: must stay 0. */
  recordedTwice: number;
  /** Posts after the window closed (410). */
  late: number;
  /** Rewards never posted: non-clicks left silent, and rewards lost. */
  silent: number;
  lost: number;
}

/**
 * A simulated population driving the service with a stream: each row is one listener's visit. The
 * listener asks `/choose` with the row's context, is shown the chosen arm, clicks or not as the stream
 * says for that arm, and reports it as `rewardPlan` decides: after an exponential delay, to a replica
 * drawn at random (a retry goes to the other one), or never. Resolves once every post has been answered.
 * @throws Error when the service refuses a decision, or answers a reward with anything but 200 or 410.
 */
export async function drivePopulation(options: PopulationOptions): Promise<PopulationTally> {
  const { replicas, client, stream, surface, schedule } = options;
  const tally: PopulationTally = { decisions: [], recorded: 0, duplicatesRefused: 0, recordedTwice: 0, late: 0, silent: 0, lost: 0 };
  const posts: Promise<void>[] = [];
  const recordedOf = new Map<string, number>();
  // A failed post is kept and rethrown once every post has settled, never left as an unhandled rejection.
  let failure: unknown;
  let next = 0;

  const postReward = async (delayMs: number, replica: string, decisionId: string, reward: number) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const answer = await client.send<RewardResponse>(`${replica}/reward`, { decisionId, reward });
    if (answer.status === 410) {
      tally.late += 1;
      return;
    }
    if (answer.status !== 200) throw new Error(`${replica}/reward answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    if (answer.body.duplicate) {
      tally.duplicatesRefused += 1;
      return;
    }
    tally.recorded += 1;
    const times = (recordedOf.get(decisionId) ?? 0) + 1;
    recordedOf.set(decisionId, times);
    if (times === 2) tally.recordedTwice += 1;
  };

  const visit = async (round: number) => {
    const decision = await client.call<ChooseResponse>(`${replicas[round % replicas.length]}/choose`, {
      surface: surface.config.id,
      context: surface.context(round),
    });
    const arm = Number(decision.arm);
    const reward = stream.rewards[round]![arm]!;
    tally.decisions.push({ round, decisionId: decision.decisionId, policy: decision.policy, arm, reward });
    const random = seededRandom(`${options.seed}:${round}`);
    const plan = rewardPlan(reward, schedule, random);
    const first = Math.floor(random() * replicas.length);
    if (!plan.sent) {
      tally[plan.why] += 1;
      return;
    }
    plan.delaysMs.forEach((delayMs, retry) => {
      const post = postReward(delayMs, replicas[(first + retry) % replicas.length]!, decision.decisionId, reward);
      posts.push(post.catch((error: unknown) => void (failure ??= error)));
    });
  };

  const worker = async () => {
    while (next < options.rounds) {
      await visit(next++);
      options.onProgress?.(tally.decisions.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await Promise.all(posts);
  if (failure !== undefined) throw failure;
  tally.decisions.sort((x, y) => x.round - y.round);
  return tally;
}
