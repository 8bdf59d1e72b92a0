import type { ChooseRequest, ChooseResponse } from '../api/api-types.js';
import { notFound, unprocessable } from '../errors.js';
import { ContextError } from '../learners/context-encoder.js';
import { forgettingStep } from '../model-state/forgetting-step.js';
import type { ModelCache } from '../model-state/model-cache.js';
import { seededRandom } from '../stats/random.js';
import { assignPolicyArm } from '../surfaces/policy-arm-assignment.js';
import type { Surface } from '../surfaces/surface.js';
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
  now: () => Date;
}

/**
 * `/choose`: picks the policy arm, computes its whole action distribution over the eligible candidates,
 * draws the arm from exactly that distribution with the decision's own seeded generator, and answers
 * only once the row holding all of it is committed. A decision that is served is always logged.
 */
export class DecisionService {
  constructor(private readonly deps: DecisionServiceDeps) {}

  async choose(request: ChooseRequest): Promise<ChooseResponse> {
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
    const candidates = eligibleCandidates(surface, request.candidates, now);
    const model = this.deps.models.get(surface.config.id, policyArm.id);
    const context = encodeContext(model.encoder, request.context);
    model.policy.learner.advanceTo(forgettingStep(now));
    const { probabilities, chosen } = model.policy.decide(context, candidates, random);
    const arm = candidates[chosen]!;
    const record: NewDecision = {
      id,
      decidedAt: now,
      surface: surface.config.id,
      policyArm: policyArm.id,
      learner: policyArm.learner.kind,
      configVersion: surface.configVersion,
      modelKey: model.key,
      modelVersion: Math.max(model.version, 0),
      unit: request.unit ?? null,
      eventId: request.eventId ?? null,
      context: request.context,
      candidates,
      probabilities: Object.fromEntries(candidates.map((candidate, k) => [candidate, probabilities[k]!])),
      arm,
      propensity: probabilities[chosen]!,
      seed,
      deferred: request.defer ?? false,
      rewardBy: new Date(now.getTime() + surface.config.reward.attributionWindowSeconds * 1000),
    };
    const result = await this.deps.log.write(record);
    if (result.status === 'existing') return toChooseResponse(result.decision, true);
    return toChooseResponse({ ...record, activatedAt: null, reward: null, rewardSource: null, rewardedAt: null, learnedAt: null }, false);
  }
}

/** The requested candidates, or every arm live at `now`; an unknown or off-flight arm is refused by name. */
function eligibleCandidates(surface: Surface, requested: readonly string[] | undefined, now: Date): string[] {
  const live = (arm: Surface['config']['arms'][number]) =>
    (!arm.start || Date.parse(arm.start) <= now.getTime()) && (!arm.end || now.getTime() < Date.parse(arm.end));
  const arms = new Map(surface.config.arms.map((arm) => [arm.id, arm]));
  if (requested === undefined) {
    const all = surface.config.arms.filter(live).map((arm) => arm.id);
    if (all.length === 0) throw unprocessable('no_eligible_arm', `surface "${surface.config.id}" has no arm live now`);
    return all;
  }
  const details = requested.flatMap((id, index) => {
    const arm = arms.get(id);
    if (!arm) return [{ path: `candidates[${index}]`, message: `arm "${id}" is not an arm of surface "${surface.config.id}"` }];
    if (!live(arm)) return [{ path: `candidates[${index}]`, message: `arm "${id}" is outside its flight dates` }];
    return [];
  });
  if (details.length > 0) throw unprocessable('invalid_candidates', 'candidates must be live arms of the surface', details);
  return [...requested];
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
