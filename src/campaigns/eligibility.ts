import type { Random } from '../stats/random.js';
import type { ArmConfig, CampaignArm, IneligibleReason, TargetingRule } from './campaign-arm.js';

/** A context value as the API accepts it (the schema allows scalars only). */
export type ContextValue = string | number | boolean | null;

/** What the counters say about one arm for one request (read before the learner runs). */
export interface ArmCounters {
  /** Impressions so far, in all and on the request's UTC day. */
  totalSpent: number;
  dailySpent: number;
  /** The unit's impressions in its open frequency-cap window (0 without a unit or a cap). */
  capCount: number;
  /** The arm's current pacing probability p ∈ [0, 1]; 1 when it is not paced. */
  pacing: number;
}

export interface EligibilityInput {
  /** The candidates, in order: the requested ones, or every arm of the surface. */
  arms: readonly CampaignArm[];
  context: Readonly<Record<string, unknown>>;
  /** The feature defaults of the surface, which a missing feature takes for targeting too. */
  defaults: ReadonlyMap<string, ContextValue>;
  unit: string | null;
  now: Date;
  /** Counters of the arms that have a budget, cap or pacing; an arm missing here has none. */
  counters: ReadonlyMap<string, ArmCounters>;
  /** The decision's own generator: the pacing draws replay from the decision's seed. */
  random: Random;
}

export interface Eligibility {
  /** The arms the learner's distribution is computed over, in candidate order. */
  eligible: string[];
  /** Arm id → the first rule that excluded it. */
  ineligible: Record<string, IneligibleReason>;
}

/**
 * Resolves a request's eligible set before the learner runs. The rules apply in a fixed order and the
 * first that fails names the reason: flight (`not_started`, `ended`), `paused`, `targeting`, frequency
 * cap (`no_unit`, `frequency_cap`), budget (`budget_total`, `budget_daily`), and last the pacing draw
 * (`pacing`). Only arms that pass every other rule draw for pacing, one uniform each from the decision's
 * generator in candidate order, so the log (which arms are eligible or `pacing`) says exactly which draws
 * were made and a replay from the seed makes the same ones. Surfaces without paced arms draw nothing
 * here, and their decisions replay as before.
 *
 * The learner then computes π(a | x, E) over the eligible set E only, and the log records E, so the
 * logged propensity is the probability of the arm given the context and E: the pacing outcome is part
 * of E, not of π.
 */
export function resolveEligibility(input: EligibilityInput): Eligibility {
  const eligible: string[] = [];
  const ineligible: Record<string, IneligibleReason> = {};
  for (const arm of input.arms) {
    const reason = ruleReason(arm, input) ?? counterReason(arm.config, input.unit, input.counters.get(arm.config.id));
    if (reason === undefined && arm.config.campaign?.pacing === true) {
      const p = input.counters.get(arm.config.id)?.pacing ?? 1;
      if (!(input.random() < p)) {
        ineligible[arm.config.id] = 'pacing';
        continue;
      }
    }
    if (reason === undefined) eligible.push(arm.config.id);
    else ineligible[arm.config.id] = reason;
  }
  return { eligible, ineligible };
}

/** The rules that need no counter: flight, pause, targeting. */
export function ruleReason(
  arm: CampaignArm,
  { now, context, defaults }: Pick<EligibilityInput, 'now' | 'context' | 'defaults'>,
): IneligibleReason | undefined {
  const time = now.getTime();
  if (arm.config.start !== undefined && time < Date.parse(arm.config.start)) return 'not_started';
  if (arm.config.end !== undefined && time >= Date.parse(arm.config.end)) return 'ended';
  if (arm.paused) return 'paused';
  const rules = arm.config.campaign?.targeting ?? [];
  if (!rules.every((rule) => targets(rule, context, defaults))) return 'targeting';
  return undefined;
}

/** The frequency cap and the budgets, from the counters read for this request. */
export function counterReason(config: ArmConfig, unit: string | null, counters: ArmCounters | undefined): IneligibleReason | undefined {
  const campaign = config.campaign;
  if (!campaign) return undefined;
  const spent = counters ?? { totalSpent: 0, dailySpent: 0, capCount: 0, pacing: 1 };
  if (campaign.frequencyCap) {
    // Without a unit there is nobody to count impressions for, so the cap cannot be honoured.
    if (unit === null) return 'no_unit';
    if (spent.capCount >= campaign.frequencyCap.impressions) return 'frequency_cap';
  }
  const budget = campaign.budget;
  if (budget?.total !== undefined && spent.totalSpent >= budget.total) return 'budget_total';
  if (budget?.daily !== undefined && spent.dailySpent >= budget.daily) return 'budget_daily';
  return undefined;
}

/** Whether one targeting rule holds; a missing feature takes its declared default, and without one it fails. */
export function targets(rule: TargetingRule, context: Readonly<Record<string, unknown>>, defaults: ReadonlyMap<string, ContextValue>): boolean {
  const value = rule.feature in context ? context[rule.feature] : defaults.get(rule.feature);
  if (value === undefined || value === null) return false;
  return rule.in !== undefined ? rule.in.some((allowed) => allowed === value) : rule.equals === value;
}
