import type { Database } from '../../db/database.js';
import type { LoggedRound } from '../evaluation-types.js';
import { cursorBatches } from './cursor-batches.js';

/** A round of the decision log: the logged-feedback round plus what only the log knows. */
export interface LoggedDecision extends LoggedRound {
  timestamp: Date;
  /** The candidates the arm was drawn from… */
  candidates: readonly string[];
  /** …and the whole logged distribution π_b(· | xᵢ) over them (arm → probability). */
  probabilities: Readonly<Record<string, number>>;
  policyArm: string;
}

export interface DecisionLogFilter {
  surface: string;
  /** Half-open range [from, to) on `decided_at`. */
  from: Date;
  to: Date;
  /** Only the traffic of this policy arm (its propensities are then one policy's). */
  policyArm?: string;
  /** Also rows not yet learnable (deferred and never activated). Default false. */
  includeUnlearnable?: boolean;
}

interface DecisionLogRow {
  decided_at: Date;
  policy_arm: string;
  context: Record<string, number | boolean | string>;
  candidates: string[];
  probabilities: Record<string, number>;
  arm: string;
  propensity: number;
  reward: number;
}

const DEFAULT_BATCH = 5_000;

/**
 * Streams the rewarded decisions of a surface in [from, to), in time order, through a server-side
 * cursor (`cursorBatches`), each as a round with its logged candidates and probabilities. By default
 * only rows the service learns from: rewarded and either not deferred or activated, so the evaluation
 * sees the same data the online learners saw.
 * @throws RangeError on an empty surface, an invalid date or an empty range.
 */
export async function* readDecisionLog(db: Database, filter: DecisionLogFilter, batchSize = DEFAULT_BATCH): AsyncGenerator<LoggedDecision> {
  const { sql, params } = decisionLogQuery(filter);
  for await (const rows of cursorBatches<DecisionLogRow>(db, sql, params, batchSize)) {
    for (const row of rows) {
      yield {
        context: row.context,
        action: row.arm,
        reward: row.reward,
        propensity: row.propensity,
        timestamp: row.decided_at,
        candidates: row.candidates,
        probabilities: row.probabilities,
        policyArm: row.policy_arm,
      };
    }
  }
}

/** The SELECT behind `readDecisionLog`: the rows of `decisionLogCondition`, in time order. */
function decisionLogQuery(filter: DecisionLogFilter): { sql: string; params: unknown[] } {
  const { condition, params } = decisionLogCondition(filter);
  return {
    sql: `SELECT decided_at, policy_arm, context, candidates, probabilities, arm, propensity, reward
            FROM decisions WHERE ${condition} ORDER BY decided_at, id`,
    params,
  };
}

/**
 * The WHERE condition selecting a filter's rows of `decisions`, with its parameters $1…$4 (surface, from,
 * to, policy arm); shared with the export so both see the same rows.
 * @throws RangeError on an empty surface, an invalid date or an empty range.
 */
export function decisionLogCondition(filter: DecisionLogFilter): { condition: string; params: unknown[] } {
  checkFilter(filter);
  const learnable = filter.includeUnlearnable ? '' : 'AND (NOT deferred OR activated_at IS NOT NULL)';
  return {
    condition: `surface = $1 AND decided_at >= $2 AND decided_at < $3 AND ($4::text IS NULL OR policy_arm = $4)
             AND reward IS NOT NULL ${learnable}`,
    params: [filter.surface, filter.from, filter.to, filter.policyArm ?? null],
  };
}

function checkFilter({ surface, from, to }: DecisionLogFilter): void {
  if (surface === '') throw new RangeError('surface must not be empty');
  if (Number.isNaN(from.getTime())) throw new RangeError('from must be a valid date');
  if (Number.isNaN(to.getTime())) throw new RangeError('to must be a valid date');
  if (!(from < to)) throw new RangeError(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
}
