import type { ActivateResponse, RewardResponse } from '../api/api-types.js';
import type { DecisionRecord } from '../decisions/decision-record.js';
import type { DecisionStore } from '../decisions/decision-store.js';
import { badRequest, gone, notFound } from '../errors.js';
import type { SurfaceCatalog } from '../surfaces/surface-catalog.js';
import type { DecisionLearner } from './decision-learner.js';

export interface RewardServiceDeps {
  surfaces: SurfaceCatalog;
  store: Pick<DecisionStore, 'findById' | 'recordReward' | 'activate'>;
  learner: DecisionLearner;
  now: () => Date;
  /** Told the outcome of every reward request, for metrics. */
  onOutcome?: (outcome: 'recorded' | 'duplicate' | 'late' | 'unknown', decision?: DecisionRecord) => void;
  /** Told when a deferred decision is first activated: its impression counts now (campaign spend). */
  onActivated?: (decision: DecisionRecord) => Promise<void>;
}

/**
 * `/reward` and activation. The reward is joined to its decision in Postgres by one conditional UPDATE,
 * which is what makes it idempotent: only the request that sets it goes on to teach the model. Learning
 * may fail after the reward is recorded (the model store is down); the response still says the reward is
 * recorded, and the sweeper learns it later, at most once.
 */
export class RewardService {
  constructor(private readonly deps: RewardServiceDeps) {}

  async reward(decisionId: string, reward: number): Promise<RewardResponse> {
    const logged = await this.deps.store.findById(decisionId);
    if (logged) checkRewardRange(this.deps.surfaces, logged, reward);
    const result = await this.deps.store.recordReward(decisionId, reward, this.deps.now());
    this.deps.onOutcome?.(result.status, 'decision' in result ? result.decision : undefined);
    switch (result.status) {
      case 'unknown':
        throw notFound('unknown_decision', `decision "${decisionId}" does not exist`);
      case 'late':
        throw gone('reward_window_closed', `the reward window of decision "${decisionId}" closed at ${result.decision.rewardBy.toISOString()}`);
      case 'duplicate':
        return { decisionId, reward: result.decision.reward!, duplicate: true, learned: isLearnable(result.decision) };
      case 'recorded': {
        if (isLearnable(result.decision)) await this.deps.learner.tryLearn(result.decision);
        return { decisionId, reward, duplicate: false, learned: isLearnable(result.decision) };
      }
    }
  }

  async activate(decisionId: string): Promise<ActivateResponse> {
    const result = await this.deps.store.activate(decisionId, this.deps.now());
    if (!result) throw notFound('unknown_decision', `decision "${decisionId}" does not exist`);
    // A decision that was never deferred was active from the start; its reward was learned when it came.
    const alreadyActive = result.alreadyActive || !result.decision.deferred;
    if (!alreadyActive) await this.deps.onActivated?.(result.decision);
    if (!alreadyActive && result.decision.reward !== null) await this.deps.learner.tryLearn(result.decision);
    return { decisionId, activated: true, alreadyActive };
  }
}

/** A deferred decision counts for learning (and evaluation) only once activated. */
export function isLearnable(decision: DecisionRecord): boolean {
  return !decision.deferred || decision.activatedAt !== null;
}

function checkRewardRange(surfaces: SurfaceCatalog, decision: DecisionRecord, reward: number): void {
  const config = surfaces.get(decision.surface)?.config.reward;
  if (!config) return;
  if (config.type === 'binary' && reward !== 0 && reward !== 1) {
    throw badRequest('reward_out_of_range', `surface "${decision.surface}" takes a binary reward (0 or 1), got ${reward}`, [
      { path: 'reward', message: 'must be 0 or 1' },
    ]);
  }
  const min = config.min ?? 0;
  const max = config.max ?? 1;
  if (reward < min || reward > max) {
    throw badRequest('reward_out_of_range', `surface "${decision.surface}" takes rewards in [${min}, ${max}], got ${reward}`, [
      { path: 'reward', message: `must be in [${min}, ${max}]` },
    ]);
  }
}
