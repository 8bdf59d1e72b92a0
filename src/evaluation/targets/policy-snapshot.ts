import { writeFile } from 'node:fs/promises';
import type { FeatureSpec } from '../../learners/feature-spec.js';
import type { LearnerConfig } from '../../learners/learner-config.js';
import type { Policy } from '../../learners/policy.js';

/**
 * A frozen model: a learner's config, the feature schema its contexts are encoded with, and its
 * statistics per arm (the additive sums the learner keeps; all zeros for an arm with no data). Evaluated
 * with `mode: 'frozen'`, i.e. without learning.
 */
export interface PolicySnapshot {
  learner: LearnerConfig;
  features: FeatureSpec[];
  arms: Record<string, number[]>;
}

/** The snapshot of a policy after a run, with every arm it was offered (`--save-snapshot`). */
export function policySnapshot(learner: LearnerConfig, features: readonly FeatureSpec[], policy: Policy, arms: readonly string[]): PolicySnapshot {
  const all = [...new Set([...arms, ...policy.learner.arms()])];
  return {
    learner,
    features: [...features],
    arms: Object.fromEntries(all.map((arm) => [arm, Array.from(policy.learner.statistics(arm))])),
  };
}

export async function writePolicySnapshot(file: string, snapshot: PolicySnapshot): Promise<void> {
  await writeFile(file, `${JSON.stringify(snapshot)}\n`);
}
