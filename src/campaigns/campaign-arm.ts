import type { components } from '../api/openapi-types.js';

type Schemas = components['schemas'];

export type ArmConfig = Schemas['ArmConfig'];
export type CampaignConfig = Schemas['CampaignConfig'];
export type CampaignBudget = Schemas['CampaignBudget'];
export type TargetingRule = Schemas['TargetingRule'];
export type IneligibleReason = Schemas['IneligibleReason'];
export type ArmOverride = Schemas['ArmOverrideRequest'];

/**
 * An arm as every replica serves it now: its config from the surface file (or as added by the admin API)
 * with the admin overrides applied (`end` and `budget` replace the file's, `paused` is the pause switch).
 */
export interface CampaignArm {
  readonly config: ArmConfig;
  readonly source: 'file' | 'api';
  readonly paused: boolean;
}

/** The arm's config with `override` applied; `paused` is carried beside it. */
export function applyOverride(config: ArmConfig, override: ArmOverride | undefined): ArmConfig {
  if (!override) return config;
  const end = override.end ?? config.end;
  const budget = override.budget ?? config.campaign?.budget;
  const campaign = config.campaign || budget ? { ...config.campaign, ...(budget ? { budget } : {}) } : undefined;
  return { ...config, ...(end === undefined ? {} : { end }), ...(campaign ? { campaign } : {}) };
}

/** The UTC day of `now`, `YYYY-MM-DD`: daily budgets reset at 00:00Z. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Whether the arm needs spend counters: it has a budget or a frequency cap. */
export function isCounted(config: ArmConfig): boolean {
  return config.campaign?.budget !== undefined || config.campaign?.frequencyCap !== undefined;
}
