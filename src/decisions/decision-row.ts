import type { LearnerKind } from '../learners/learner-config.js';
import type { DecisionRecord, NewDecision, RewardSource } from './decision-record.js';

/** A `decisions` row as both database drivers return it. */
export interface DecisionRow {
  id: string;
  decided_at: Date;
  surface: string;
  policy_arm: string;
  learner: string;
  config_version: string;
  model_key: string;
  model_version: number;
  unit: string | null;
  event_id: string | null;
  context: Record<string, unknown>;
  candidates: string[];
  ineligible: Record<string, string>;
  /** The probability of each candidate, in the order of `candidates`. */
  probabilities: number[];
  arm: string;
  propensity: number;
  seed: string;
  deferred: boolean;
  activated_at: Date | null;
  reward_by: Date;
  reward: number | null;
  reward_source: string | null;
  rewarded_at: Date | null;
  learned_at: Date | null;
}

export function toDecisionRecord(row: DecisionRow): DecisionRecord {
  return {
    id: row.id,
    decidedAt: row.decided_at,
    surface: row.surface,
    policyArm: row.policy_arm,
    // The table holds only what the service wrote from these same types.
    learner: row.learner as LearnerKind,
    configVersion: row.config_version,
    modelKey: row.model_key,
    modelVersion: row.model_version,
    unit: row.unit,
    eventId: row.event_id,
    context: row.context,
    candidates: row.candidates,
    ineligible: row.ineligible,
    probabilities: probabilityMap(row.candidates, row.probabilities),
    arm: row.arm,
    propensity: row.propensity,
    seed: row.seed,
    deferred: row.deferred,
    activatedAt: row.activated_at,
    rewardBy: row.reward_by,
    reward: row.reward,
    rewardSource: row.reward_source as RewardSource | null,
    rewardedAt: row.rewarded_at,
    learnedAt: row.learned_at,
  };
}

/** The columns written when a decision is logged, with their types for `jsonb_to_recordset`. */
const NEW_DECISION_COLUMNS = [
  ['id', 'uuid'],
  ['decided_at', 'timestamptz'],
  ['surface', 'text'],
  ['policy_arm', 'text'],
  ['learner', 'text'],
  ['config_version', 'text'],
  ['model_key', 'text'],
  ['model_version', 'bigint'],
  ['unit', 'text'],
  ['event_id', 'text'],
  ['context', 'jsonb'],
  ['candidates', 'text[]'],
  ['ineligible', 'jsonb'],
  ['probabilities', 'double precision[]'],
  ['arm', 'text'],
  ['propensity', 'double precision'],
  ['seed', 'text'],
  ['deferred', 'boolean'],
  ['reward_by', 'timestamptz'],
] as const;

/**
 * One INSERT for any number of decisions: the rows travel as a single JSON array parameter, so the
 * statement text never changes and no batch size reaches the 65,535-parameter limit. JSON keeps
 * floats exact: JavaScript writes the shortest decimal that reads back as the same double.
 */
export const INSERT_DECISIONS_SQL = `
  INSERT INTO decisions (${NEW_DECISION_COLUMNS.map(([name]) => name).join(', ')})
  SELECT ${NEW_DECISION_COLUMNS.map(([name]) => name).join(', ')}
    FROM jsonb_to_recordset($1::jsonb)
      AS r(${NEW_DECISION_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`;

export function toNewDecisionRow(decision: NewDecision): Record<(typeof NEW_DECISION_COLUMNS)[number][0], unknown> {
  return {
    id: decision.id,
    decided_at: decision.decidedAt,
    surface: decision.surface,
    policy_arm: decision.policyArm,
    learner: decision.learner,
    config_version: decision.configVersion,
    model_key: decision.modelKey,
    model_version: decision.modelVersion,
    unit: decision.unit,
    event_id: decision.eventId,
    context: decision.context,
    candidates: decision.candidates,
    ineligible: decision.ineligible,
    probabilities: decision.candidates.map((arm) => decision.probabilities[arm]),
    arm: decision.arm,
    propensity: decision.propensity,
    seed: decision.seed,
    deferred: decision.deferred,
    reward_by: decision.rewardBy,
  };
}

/** Arm → probability, from the candidates and their probabilities in the same order, as the log stores them. */
export function probabilityMap(candidates: readonly string[], probabilities: readonly number[]): Record<string, number> {
  return Object.fromEntries(candidates.map((arm, k) => [arm, probabilities[k]!]));
}
