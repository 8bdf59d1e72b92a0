import { createContextEncoder } from '../../learners/context-encoder.js';
import { createPolicy } from '../../learners/create-policy.js';
import type { FeatureSpec } from '../../learners/feature-spec.js';
import type { LearnerConfig } from '../../learners/learner-config.js';
import type { Policy } from '../../learners/policy.js';
import { forgettingStep } from '../../model-state/forgetting-step.js';
import { seededRandom } from '../../stats/random.js';
import type { SourceRound } from '../inputs/round-source.js';
import type { TargetDistribution, TargetPolicy } from './target-policy.js';

/**
 * How a policy config is run along the log:
 * - `replay` (Li et al. 2011): each round the policy draws its arm from its own distribution with a
 *   seeded generator; π_e is that draw (probability 1 on the drawn arm), so only rounds where it equals
 *   the logged arm count, and the policy learns from exactly those rounds — the data it would have seen.
 *   Unbiased for uniform logging; under non-uniform logging the matched rounds over-represent the arms
 *   the logging policy favours.
 * - `ips-online`: each round π_e(· | xᵢ) is the policy's full distribution, so targetProbability =
 *   π_e(aᵢ | xᵢ) feeds the importance-weighted estimators under any logging policy, and the policy then
 *   learns from the logged round. Biased: it learns from the logging policy's choices, not from its own,
 *   so it estimates a policy that saw different (usually more varied) data than it would have in
 *   production.
 * - `frozen`: the distribution of a fixed model (a snapshot); nothing is learned, so every estimator's
 *   assumptions hold exactly.
 */
export type PolicyTargetMode = 'replay' | 'ips-online' | 'frozen';

export const POLICY_TARGET_MODES: readonly PolicyTargetMode[] = ['replay', 'ips-online', 'frozen'];

export interface PolicyTargetSpec {
  label: string;
  learner: LearnerConfig;
  features: readonly FeatureSpec[];
  /** The actions when the log has no candidate set (files); the decision log's candidates win. */
  arms: readonly string[];
  /** Arm → learner statistics to start from (a frozen snapshot, or a warm start). */
  statistics?: Readonly<Record<string, readonly number[]>>;
}

/** A policy-config target: synchronous, and its policy is exposed for `--save-snapshot`. */
export interface PolicyTarget extends TargetPolicy {
  readonly policy: Policy;
  next(round: SourceRound): TargetDistribution;
}

const IPS_ONLINE_BIAS =
  'ips-online: the target policy learned from the logging policy\'s choices, not from its own, so the estimate is of a policy trained on different data than it would have seen in production';

/**
 * Runs a policy config along the log as a target policy (see `PolicyTargetMode`). Round i draws from
 * `seededRandom("<seed>:<i>")`, so a run replays exactly. Context features the policy does not declare
 * are left out before encoding (a file may carry more columns than the surface's schema). When a round has
 * a timestamp, the forgetting clock is moved to it as the service would.
 * @throws RangeError when a snapshot's statistics do not fit the learner, or a context does not fit the schema.
 */
export function createPolicyTarget(spec: PolicyTargetSpec, mode: PolicyTargetMode, seed: string): PolicyTarget {
  if (spec.arms.length === 0) throw new RangeError(`${spec.label}: the policy has no arms`);
  const encoder = createContextEncoder(spec.features);
  const declared = new Set(spec.features.map((feature) => feature.name));
  const policy = createPolicy(spec.learner, encoder.dimension);
  for (const [arm, statistics] of Object.entries(spec.statistics ?? {})) {
    if (statistics.length !== policy.learner.statisticsLength) {
      throw new RangeError(`${spec.label}: statistics of arm "${arm}" have length ${statistics.length}, the learner needs ${policy.learner.statisticsLength}`);
    }
    policy.learner.load(arm, statistics);
  }
  let index = 0;
  return {
    label: `${spec.label} (${mode})`,
    warnings: mode === 'ips-online' ? [IPS_ONLINE_BIAS] : [],
    policy,
    next(round: SourceRound): TargetDistribution {
      const random = seededRandom(`${seed}:${index++}`);
      const actions = round.candidates ?? spec.arms;
      const context: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(round.context)) if (declared.has(name)) context[name] = value;
      const x = encoder.encode(context);
      const step = round.timestamp ? forgettingStep(round.timestamp) : undefined;
      if (step !== undefined) policy.learner.advanceTo(step);
      const known = actions.includes(round.action);
      if (mode === 'replay') {
        const { chosen } = policy.decide(x, actions, random);
        const probabilities = new Float64Array(actions.length);
        probabilities[chosen] = 1;
        if (actions[chosen] === round.action) policy.learner.learn(round.action, x, round.reward, random, step);
        return { actions, probabilities };
      }
      const probabilities = policy.distribution(x, actions, random);
      if (mode === 'ips-online' && known) policy.learner.learn(round.action, x, round.reward, random, step);
      return { actions, probabilities };
    },
    finish() {},
  };
}
