import { armIssues } from '../campaigns/campaign-issues.js';
import type { ErrorDetail } from '../errors.js';
import type { SurfaceConfig } from './surface.js';

/** Shares are decimals written by people; this absorbs binary rounding such as 0.45 + 0.45 + 0.1. */
const SHARE_TOLERANCE = 1e-9;

/**
 * The rules of a surface file that its JSON Schema cannot state: identifiers unique within their
 * list, policy-arm shares summing to 1, defaults inside their domain, time windows and reward ranges
 * that are not empty, campaign rules (`armIssues`). Expects a config that already conforms to the `SurfaceConfig` schema.
 * @returns one issue per broken rule, each naming its field; empty when the config is sound.
 */
export function surfaceConfigIssues(config: SurfaceConfig): ErrorDetail[] {
  return [
    ...duplicateIssues(config.arms.map((arm) => arm.id), 'arms', 'id', 'arm id'),
    ...config.arms.flatMap((arm, index) => armIssues(arm, `arms[${index}]`, config.features)),
    ...duplicateIssues(config.features.map((feature) => feature.name), 'features', 'name', 'feature name'),
    ...config.features.flatMap(featureDefaultIssues),
    ...rewardIssues(config.reward),
    ...duplicateIssues(config.policyArms.map((policyArm) => policyArm.id), 'policyArms', 'id', 'policy arm id'),
    ...shareIssues(config.policyArms),
    ...config.policyArms.flatMap((policyArm, index) => thompsonRewardIssues(policyArm, index, config.reward)),
  ];
}

/** Beta-Bernoulli Thompson sampling learns a reward as a Bernoulli trial, so it needs rewards in [0, 1]. */
function thompsonRewardIssues(
  policyArm: SurfaceConfig['policyArms'][number],
  index: number,
  reward: SurfaceConfig['reward'],
): ErrorDetail[] {
  if (policyArm.learner.kind !== 'thompson' || reward.type === 'binary') return [];
  if ((reward.min ?? 0) >= 0 && (reward.max ?? 1) <= 1) return [];
  return [{ path: `policyArms[${index}].learner.kind`, message: 'thompson needs a binary reward or one within [0, 1]' }];
}

function duplicateIssues(ids: readonly string[], list: string, field: string, noun: string): ErrorDetail[] {
  return ids.flatMap((id, index) => {
    const first = ids.indexOf(id);
    if (first === index) return [];
    return [{ path: `${list}[${index}].${field}`, message: `duplicate ${noun} '${id}' (first at ${list}[${first}])` }];
  });
}

function featureDefaultIssues(feature: SurfaceConfig['features'][number], index: number): ErrorDetail[] {
  if (feature.type !== 'categorical' || feature.default === undefined) return [];
  if (feature.levels.includes(feature.default)) return [];
  return [
    {
      path: `features[${index}].default`,
      message: `must be one of the levels ${feature.levels.join(', ')} (got '${feature.default}')`,
    },
  ];
}

function rewardIssues(reward: SurfaceConfig['reward']): ErrorDetail[] {
  if (reward.type === 'binary') {
    const bounds = (['min', 'max'] as const)
      .filter((bound) => reward[bound] !== undefined)
      .map((bound) => ({ path: `reward.${bound}`, message: 'must be omitted: a binary reward is 0 or 1' }));
    const defaultIssue =
      reward.default === 0 || reward.default === 1
        ? []
        : [{ path: 'reward.default', message: `must be 0 or 1 for a binary reward (got ${reward.default})` }];
    return [...bounds, ...defaultIssue];
  }
  const { min, max } = reward;
  if (min === undefined || max === undefined) {
    return (['min', 'max'] as const)
      .filter((bound) => reward[bound] === undefined)
      .map((bound) => ({ path: `reward.${bound}`, message: 'is required for a continuous reward' }));
  }
  if (min >= max) return [{ path: 'reward.max', message: `must be greater than min ${min} (got ${max})` }];
  if (reward.default < min || reward.default > max) {
    return [{ path: 'reward.default', message: `must be within [${min}, ${max}] (got ${reward.default})` }];
  }
  return [];
}

/** Blames the last share: it is the one a reader adjusts to make the column add up. */
function shareIssues(policyArms: SurfaceConfig['policyArms']): ErrorDetail[] {
  const total = policyArms.reduce((sum, policyArm) => sum + policyArm.share, 0);
  if (Math.abs(total - 1) <= SHARE_TOLERANCE) return [];
  return [
    {
      path: `policyArms[${policyArms.length - 1}].share`,
      message: `shares must sum to 1 (got ${Number(total.toPrecision(12))})`,
    },
  ];
}
