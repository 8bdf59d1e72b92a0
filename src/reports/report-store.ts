import type { Database } from '../db/database.js';
import type { SampleSummary } from '../stats/sample-summary.js';

/** Which decisions a report covers: one surface, the half-open window [from, to) on `decided_at`. */
export interface ReportWindow {
  surface: string;
  /** Unbounded when absent. */
  from?: Date;
  to?: Date;
}

/** Learnable decisions of one cell, and the rewards they received (observed or defaulted). */
export interface CellAggregate {
  decisions: number;
  /** Rewards from the client; `rewards.count` − `observed` were the surface default. */
  observed: number;
  rewards: SampleSummary;
}

export interface ArmAggregate extends CellAggregate {
  policyArm: string;
  arm: string;
  firstDecisionAt: Date;
  lastDecisionAt: Date;
}

export interface DayAggregate extends CellAggregate {
  policyArm: string;
  /** Start of the UTC day. */
  day: Date;
}

export interface ReportAggregates {
  arms: ArmAggregate[];
  days: DayAggregate[];
}

interface AggregateRow {
  policy_arm: string;
  arm: string;
  day: Date;
  decisions: number;
  observed: number;
  rewarded: number;
  reward_sum: number | null;
  reward_sum_of_squares: number | null;
  first_decision_at: Date;
  last_decision_at: Date;
}

/**
 * Everything the report needs from the decision log in one scan: COUNT, SUM and SUM of squares of the
 * learnable decisions of a surface per (policy arm, arm, UTC day), at most a few thousand rows whatever
 * the traffic, rolled up here into the (policy arm, arm) and (policy arm, day) totals. Deferred
 * decisions count only once activated, as for learning. The covering index of migration 005 keeps the
 * scan to narrow columns; JIT compilation is off for the statement, since compiling it costs seconds
 * and saves far less on a scan of this kind. `date_bin` buckets days by arithmetic, without the
 * time-zone rules `date_trunc` would consult per row.
 */
export async function readReportAggregates(db: Database, window: ReportWindow): Promise<ReportAggregates> {
  const { rows } = await db.transaction(async (tx) => {
    await tx.query('SET LOCAL jit = off');
    return tx.query<AggregateRow>(
      `SELECT policy_arm, arm, date_bin('1 day', decided_at, timestamptz '2000-01-01T00:00:00Z') AS day,
              count(*) AS decisions,
              count(*) FILTER (WHERE reward_source = 'observed') AS observed,
              count(reward) AS rewarded,
              sum(reward) AS reward_sum,
              sum(reward * reward) AS reward_sum_of_squares,
              min(decided_at) AS first_decision_at,
              max(decided_at) AS last_decision_at
         FROM decisions
        WHERE surface = $1
          AND decided_at >= coalesce($2::timestamptz, '-infinity')
          AND decided_at < coalesce($3::timestamptz, 'infinity')
          AND (NOT deferred OR activated_at IS NOT NULL)
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3`,
      [window.surface, window.from ?? null, window.to ?? null],
    );
  });
  const arms = new Map<string, ArmAggregate>();
  const days = new Map<string, DayAggregate>();
  for (const row of rows) {
    const cell: CellAggregate = {
      decisions: row.decisions,
      observed: row.observed,
      rewards: { count: row.rewarded, sum: row.reward_sum ?? 0, sumOfSquares: row.reward_sum_of_squares ?? 0 },
    };
    const armKey = JSON.stringify([row.policy_arm, row.arm]);
    const arm = arms.get(armKey);
    if (arm) {
      addCell(arm, cell);
      if (row.first_decision_at < arm.firstDecisionAt) arm.firstDecisionAt = row.first_decision_at;
      if (row.last_decision_at > arm.lastDecisionAt) arm.lastDecisionAt = row.last_decision_at;
    } else {
      arms.set(armKey, { policyArm: row.policy_arm, arm: row.arm, firstDecisionAt: row.first_decision_at, lastDecisionAt: row.last_decision_at, ...copyCell(cell) });
    }
    const dayKey = JSON.stringify([row.policy_arm, row.day.getTime()]);
    const day = days.get(dayKey);
    if (day) addCell(day, cell);
    else days.set(dayKey, { policyArm: row.policy_arm, day: row.day, ...copyCell(cell) });
  }
  return { arms: [...arms.values()], days: [...days.values()] };
}

function copyCell(cell: CellAggregate): CellAggregate {
  return { decisions: cell.decisions, observed: cell.observed, rewards: { ...cell.rewards } };
}

/** Counts and sums add up across cells. */
export function addCell(total: CellAggregate, cell: CellAggregate): void {
  total.decisions += cell.decisions;
  total.observed += cell.observed;
  total.rewards.count += cell.rewards.count;
  total.rewards.sum += cell.rewards.sum;
  total.rewards.sumOfSquares += cell.rewards.sumOfSquares;
}
