import type { ChooseResponse, DecisionView } from '../api/api-types.js';
import type { DecisionRecord, NewDecision } from './decision-record.js';

/** The answer to `/choose`: what was decided, whether just now or earlier (`replayed`). */
export function toChooseResponse(decision: NewDecision, replayed: boolean): ChooseResponse {
  return {
    decisionId: decision.id,
    arm: decision.arm,
    propensity: decision.propensity,
    policy: decision.policyArm,
    probabilities: decision.probabilities,
    modelVersion: decision.modelVersion,
    rewardBy: decision.rewardBy.toISOString(),
    configVersion: decision.configVersion,
    deferred: decision.deferred,
    replayed,
  };
}

export function toDecisionView(decision: DecisionRecord): DecisionView {
  const view: DecisionView = {
    decisionId: decision.id,
    surface: decision.surface,
    policy: decision.policyArm,
    configVersion: decision.configVersion,
    context: decision.context as DecisionView['context'],
    candidates: decision.candidates,
    probabilities: decision.probabilities,
    arm: decision.arm,
    propensity: decision.propensity,
    modelVersion: decision.modelVersion,
    seed: decision.seed,
    decidedAt: decision.decidedAt.toISOString(),
    rewardBy: decision.rewardBy.toISOString(),
    deferred: decision.deferred,
  };
  if (decision.unit !== null) view.unit = decision.unit;
  if (Object.keys(decision.ineligible).length > 0) view.ineligible = decision.ineligible as NonNullable<DecisionView['ineligible']>;
  if (decision.activatedAt) view.activatedAt = decision.activatedAt.toISOString();
  if (decision.reward !== null) view.reward = decision.reward;
  if (decision.rewardSource) view.rewardSource = decision.rewardSource;
  if (decision.rewardedAt) view.rewardedAt = decision.rewardedAt.toISOString();
  return view;
}
