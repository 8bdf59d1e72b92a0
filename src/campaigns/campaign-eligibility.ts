import type { DecisionRecord } from '../decisions/decision-record.js';
import { unprocessable } from '../errors.js';
import type { Random } from '../stats/random.js';
import type { Surface } from '../surfaces/surface.js';
import { isCounted, utcDay, type ArmConfig } from './campaign-arm.js';
import type { CampaignCatalog, ServedArm } from './campaign-catalog.js';
import type { CampaignCounters, Impression, ReserveOutcome } from './campaign-counters.js';
import { resolveEligibility, type ArmCounters, type ContextValue, type Eligibility } from './eligibility.js';

export interface EligibilityRequest {
  candidates?: readonly string[] | undefined;
  context: Readonly<Record<string, unknown>>;
  unit: string | null;
}

/**
 * The campaign side of `/choose`: resolves the eligible set before the learner runs (rules, then one
 * read of the counters, then the seeded pacing draws), and reserves the chosen arm's impression after.
 * The check before the learner is what keeps spent arms out of the distribution; the reservation is
 * what makes the limits hold under concurrency (see `CampaignCounters.reserve`).
 */
export class CampaignEligibility {
  constructor(
    private readonly catalog: CampaignCatalog,
    private readonly counters: CampaignCounters,
  ) {}

  /**
   * @throws AppError 422 `invalid_candidates` for a requested arm the surface does not have, or one outside
   * its declared flight (a client error, as before campaigns); every other rule makes an arm ineligible.
   */
  async eligibility(surface: Surface, request: EligibilityRequest, now: Date, random: Random): Promise<Eligibility> {
    const arms = this.candidates(surface, request.candidates, now);
    const day = utcDay(now);
    const counted = arms.filter((arm) => isCounted(arm.config) || arm.config.campaign?.pacing === true);
    const defaults = featureDefaults(surface);
    // Each call builds its input as one object literal. A spread of a shared input,
    // `{ ...input, arms, counters }`, went through V8's slow path for object spread: an allocation
    // profile of the service at 4,000 req/s found its objects outliving the young generation, most of
    // what the process promoted to its old one, which drove a mark-compact every few seconds.
    const resolve = (served: readonly ServedArm[], counters: ReadonlyMap<string, ArmCounters>): Eligibility =>
      resolveEligibility({ context: request.context, defaults, unit: request.unit, now, random, arms: served, counters });
    let values: ArmCounters[];
    try {
      values = await this.counters.read(
        counted.map((arm) => ({
          surface: surface.config.id,
          arm: arm.config.id,
          day,
          unit: arm.config.campaign?.frequencyCap ? request.unit : null,
        })),
      );
    } catch {
      // Without its counters an arm could overspend or overexpose; the others still serve, so /choose
      // keeps answering while Redis is away.
      const uncounted = arms.filter((arm) => !counted.includes(arm));
      const eligibility = resolve(uncounted, new Map());
      for (const arm of counted) eligibility.ineligible[arm.config.id] = 'counters_unavailable';
      return eligibility;
    }
    const counters = new Map<string, ArmCounters>(counted.map((arm, i) => [arm.config.id, values[i]!]));
    return resolve(arms, counters);
  }

  /**
   * Reserves the chosen arm's impression, unless the decision is deferred (its impression counts when
   * it is activated). 'reserved' for an arm without budget or cap, with no round trip.
   */
  async reserve(surface: Surface, armId: string, unit: string | null, now: Date, deferred: boolean): Promise<ReserveOutcome> {
    const arm = this.catalog.arms(surface.config.id).find((served) => served.config.id === armId);
    if (!arm || !isCounted(arm.config) || deferred) return 'reserved';
    // A reservation that cannot be made leaves the arm out, like a spent budget: never an unbounded spend.
    return this.counters.reserve(impression(surface.config.id, arm.config, unit, now)).catch(() => 'counters_unavailable' as const);
  }

  /** Counts the impression of a deferred decision that has just been activated: it is being shown. */
  async activated(decision: DecisionRecord, now: Date): Promise<void> {
    const arm = this.catalog.arms(decision.surface).find((served) => served.config.id === decision.arm);
    if (!arm || !isCounted(arm.config)) return;
    await this.counters.count(impression(decision.surface, arm.config, decision.unit, now));
  }

  private candidates(surface: Surface, requested: readonly string[] | undefined, now: Date): ServedArm[] {
    const arms = this.catalog.arms(surface.config.id);
    if (requested === undefined) return [...arms];
    const byId = new Map(arms.map((arm) => [arm.config.id, arm]));
    const time = now.getTime();
    const details = requested.flatMap((id, index) => {
      const arm = byId.get(id);
      if (!arm) return [{ path: `candidates[${index}]`, message: `arm "${id}" is not an arm of surface "${surface.config.id}"` }];
      const { start, end } = arm.declared;
      if ((start !== undefined && time < Date.parse(start)) || (end !== undefined && time >= Date.parse(end))) {
        return [{ path: `candidates[${index}]`, message: `arm "${id}" is outside its flight dates` }];
      }
      return [];
    });
    if (details.length > 0) throw unprocessable('invalid_candidates', 'candidates must be live arms of the surface', details);
    return requested.map((id) => byId.get(id)!);
  }
}

/** Each surface's feature defaults, which a missing feature takes for targeting; a reload builds new surfaces. */
const defaultsBySurface = new WeakMap<Surface, ReadonlyMap<string, ContextValue>>();

function featureDefaults(surface: Surface): ReadonlyMap<string, ContextValue> {
  let defaults = defaultsBySurface.get(surface);
  if (defaults === undefined) {
    defaults = new Map(surface.config.features.map((feature) => [feature.name, feature.default ?? null]));
    defaultsBySurface.set(surface, defaults);
  }
  return defaults;
}

function impression(surface: string, config: ArmConfig, unit: string | null, now: Date): Impression {
  const campaign = config.campaign;
  return {
    surface,
    arm: config.id,
    day: utcDay(now),
    unit: campaign?.frequencyCap ? unit : null,
    ...(campaign?.budget?.total === undefined ? {} : { totalBudget: campaign.budget.total }),
    ...(campaign?.budget?.daily === undefined ? {} : { dailyBudget: campaign.budget.daily }),
    ...(campaign?.frequencyCap ? { cap: campaign.frequencyCap } : {}),
  };
}
