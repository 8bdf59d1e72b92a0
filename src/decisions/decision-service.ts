import type { ChooseRequest, ChooseResponse, NoEligibleArmResponse } from '../api/api-types.js';
import type { CampaignEligibility } from '../campaigns/campaign-eligibility.js';
import { notFound, unprocessable } from '../errors.js';
import { ContextError } from '../learners/context-encoder.js';
import { forgettingStep } from '../model-state/forgetting-step.js';
import type { ModelCache } from '../model-state/model-cache.js';
import { seededRandom } from '../stats/random.js';
import { assignPolicyArm } from '../surfaces/policy-arm-assignment.js';
import type { SurfaceCatalog } from '../surfaces/surface-catalog.js';
import { createDecisionId } from './decision-id.js';
import type { DecisionLogWriter } from './decision-log-writer.js';
import type { NewDecision } from './decision-record.js';
import type { DecisionStore } from './decision-store.js';
import { toChooseResponse } from './decision-views.js';

export interface DecisionServiceDeps {
  surfaces: SurfaceCatalog;
  models: ModelCache;
  store: Pick<DecisionStore, 'findByEvent'>;
  /** Group-commit writer: resolves once the row is committed. */
  log: Pick<DecisionLogWriter, 'write'>;
  /** Resolves each request's eligible set (flight, pause, targeting, caps, budgets, pacing) and reserves impressions. */
  campaigns: Pick<CampaignEligibility, 'eligibility' | 'reserve'>;
  now: () => Date;
}

/**
 * `/choose`: picks the policy arm, computes its whole action distribution over the eligible candidates,
 * draws the arm from exactly that distribution with the decision's own seeded generator, and answers
 * only once the row holding all of it is committed. A decision that is served is always logged.
 */
export class DecisionService {
  constructor(private readonly deps: DecisionServiceDeps) {}

  async choose(request: ChooseRequest): Promise<ChooseResponse | NoEligibleArmResponse> {
    const surface = this.deps.surfaces.get(request.surface);
    if (!surface) throw notFound('unknown_surface', `surface "${request.surface}" does not exist`);
    if (request.eventId !== undefined) {
      const earlier = await this.deps.store.findByEvent(surface.config.id, request.eventId);
      if (earlier) return toChooseResponse(earlier, true);
    }
    const now = this.deps.now();
    const id = createDecisionId(now);
    const seed = `${surface.config.seed ?? surface.config.id}:${id}`;
    const random = seededRandom(seed);
    const policyArm = assignPolicyArm(surface, request.unit ?? null, random);
    const unit = request.unit ?? null;
    const deferred = request.defer ?? false;
    const model = this.deps.models.get(surface.config.id, policyArm.id);
    const context = encodeContext(model.encoder, request.context);
    const eligibility = await this.deps.campaigns.eligibility(surface, { candidates: request.candidates, context: request.context, unit }, now, random);
    const { ineligible } = eligibility;
    let candidates = eligibility.eligible;
    model.policy.learner.advanceTo(forgettingStep(now));
    let decision: { probabilities: Float64Array; chosen: number };
    let arm: string;
    let modelVersion: number;
    // A concurrent request may take the chosen arm's last impression between the counter read and this
    // reservation; the arm is then ineligible after all, and the draw is repeated over the set without it.
    for (;;) {
      if (candidates.length === 0) {
        return { arm: null, reason: 'no_eligible_arm', policy: policyArm.id, ineligible, configVersion: surface.configVersion, replayed: false };
      }
      // Read in the same synchronous step as the decision: a snapshot refresh can only land at an await,
      // so the logged version is the one the distribution was computed from.
      modelVersion = Math.max(model.version, 0);
      decision = model.policy.decide(context, candidates, random);
      arm = candidates[decision.chosen]!;
      const reserved = await this.deps.campaigns.reserve(surface, arm, unit, now, deferred);
      if (reserved === 'reserved') break;
      ineligible[arm] = reserved;
      candidates = candidates.filter((candidate) => candidate !== arm);
    }
    const { probabilities, chosen } = decision;
    const record: NewDecision = {
      id,
      decidedAt: now,
      surface: surface.config.id,
      policyArm: policyArm.id,
      learner: policyArm.learner.kind,
      configVersion: surface.configVersion,
      modelKey: model.key,
      modelVersion,
      unit,
      eventId: request.eventId ?? null,
      context: request.context,
      candidates,
      ineligible,
      probabilities: byArm(candidates, probabilities),
      arm,
      propensity: probabilities[chosen]!,
      seed,
      deferred,
      rewardBy: new Date(now.getTime() + surface.config.reward.attributionWindowSeconds * 1000),
    };
    const result = await this.deps.log.write(record);
    if (result.status === 'existing') return toChooseResponse(result.decision, true);
    return toChooseResponse(record, false);
  }
}

/** Arm id → probability. A plain loop: `Object.fromEntries` over pairs was 5 µs of a decision. */
function byArm(candidates: readonly string[], probabilities: Float64Array): Record<string, number> {
  const byId: Record<string, number> = {};
  for (let k = 0; k < candidates.length; k++) byId[candidates[k]!] = probabilities[k]!;
  return byId;
}

function encodeContext(encoder: { encode(context: Record<string, unknown>): Float64Array }, context: Record<string, unknown>): Float64Array {
  try {
    return encoder.encode(context);
  } catch (error) {
    if (error instanceof ContextError) {
      throw unprocessable('invalid_context', error.message, [{ path: `context.${error.feature}`, message: error.message }]);
    }
    throw error;
  }
}
