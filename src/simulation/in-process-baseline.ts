import { createContextEncoder } from '../learners/context-encoder.js';
import { createPolicy } from '../learners/create-policy.js';
import type { BanditStream } from '../replay/bandit-stream.js';
import { replayStream } from '../replay/replay-stream.js';
import type { PolicyArmConfig } from '../surfaces/surface.js';
import type { StreamSurface } from './stream-surface.js';

/**
 * A policy arm's learner run in this process on the rows the service gave that policy arm, in the same
 * order, learning each reward at once: what the service would have earned on the same visits without
 * HTTP, replicas, delays, lost rewards or stale snapshots. Contexts are encoded by the surface's own
 * encoder, the policy is built by `createPolicy` from the same configuration, and the loop is
 * `replayStream`'s.
 * @returns the realised reward rₜ[aₜ] of each of those rows.
 */
export function inProcessRewards(
  stream: BanditStream,
  surface: StreamSurface,
  policyArm: PolicyArmConfig,
  rounds: readonly number[],
  seed: string,
): Float64Array {
  const encoder = createContextEncoder(surface.config.features);
  const rows: BanditStream = {
    contextNames: [...encoder.coordinates],
    contexts: rounds.map((t) => encoder.encode(surface.context(t))),
    rewards: rounds.map((t) => stream.rewards[t]!),
    armCount: stream.armCount,
  };
  const { chosenArms } = replayStream(rows, createPolicy(policyArm.learner, encoder.dimension), seed);
  return Float64Array.from(chosenArms, (arm, i) => rows.rewards[i]![arm]!);
}
