import type { components } from '../api/openapi-types.js';
import type { DecisionRecord, NewDecision } from './decision-record.js';

/** Per record of an insert: logged now, or an earlier decision already holds its (surface, eventId). */
export type InsertResult = { status: 'inserted'; id: string } | { status: 'existing'; decision: DecisionRecord };

export type RewardResult =
  | { status: 'recorded'; decision: DecisionRecord }
  /** The decision already has an observed reward. */
  | { status: 'duplicate'; decision: DecisionRecord }
  /** The reward window closed before this reward arrived (the default reward may have applied). */
  | { status: 'late'; decision: DecisionRecord }
  | { status: 'unknown' };

export interface ActivateResult {
  decision: DecisionRecord;
  /** True when an earlier call activated it; `decision.activatedAt` is that first time. */
  alreadyActive: boolean;
}

export interface LearnableFilter {
  surface: string;
  modelKey?: string;
}

/** How rewards met their decisions; the shape `GET /surfaces/{id}` publishes (`openapi.yaml`). */
export type RewardJoinCounts = components['schemas']['RewardJoinStatistics'];

export interface ArmStatistics {
  decisions: number;
  /** Decisions with a reward, observed or default. */
  rewarded: number;
  /** Mean of those rewards; null when none. */
  meanReward: number | null;
}

export interface PolicyArmStatistics extends ArmStatistics {
  policyArm: string;
  arms: Array<ArmStatistics & { arm: string }>;
}

/**
 * The decision log. "Learnable" means the decision counts for learning: not deferred, or activated.
 */
export interface DecisionStore {
  /**
   * Logs `records` in one transaction. A record whose (surface, eventId) an earlier decision holds is
   * not logged; its result carries that decision. Concurrent calls with the same eventId log exactly one.
   * @throws RangeError when a record's `decidedAt` is not its id's timestamp.
   */
  insertMany(records: readonly NewDecision[]): Promise<InsertResult[]>;
  findById(id: string): Promise<DecisionRecord | undefined>;
  findByEvent(surface: string, eventId: string): Promise<DecisionRecord | undefined>;
  /** Records an observed reward if the decision has none and its window is open at `now`. */
  recordReward(id: string, reward: number, now: Date): Promise<RewardResult>;
  /** Activates a deferred decision; only the first call sets `activatedAt`. Undefined for an unknown id. */
  activate(id: string, now: Date): Promise<ActivateResult | undefined>;
  /**
   * Gives up to `limit` learnable decisions whose window closed before `now` their surface's default
   * reward and returns them. Concurrent sweeps never claim the same decision. Surfaces missing from
   * `defaultRewards` are left alone.
   */
  claimDefaultRewards(
    now: Date,
    limit: number,
    defaultRewards: Readonly<Record<string, number>>,
  ): Promise<DecisionRecord[]>;
  markLearned(ids: readonly string[], now: Date): Promise<void>;
  /** Rewarded, learnable decisions not yet marked learned, oldest reward first: to retry after a crash. */
  findUnlearned(limit: number): Promise<DecisionRecord[]>;
  /**
   * Per model key, how many decisions are marked learned. A model store holding fewer increments than
   * this (its version) has lost state. One scan of the log: for start-up and suspected losses only.
   */
  countLearned(): Promise<Map<string, number>>;
  /** Rewarded, learnable decisions in (decidedAt, id) order, read `batchSize` rows per query. */
  streamLearnable(filter: LearnableFilter, batchSize: number): AsyncIterable<DecisionRecord>;
  rewardJoinCounts(surface: string): Promise<RewardJoinCounts>;
  /** Per policy arm, in name order, and within it per chosen arm. */
  policyArmStatistics(surface: string): Promise<PolicyArmStatistics[]>;
}
