import type { Database } from '../db/database.js';
import { DECISION_DAY } from '../db/settled-decisions.js';
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

/** The aggregates of one (policy arm, arm, UTC day) cell, as the scan and the rollup compute them. */
export const CELL_AGGREGATES = `count(*) AS decisions,
              count(*) FILTER (WHERE reward_source = 'observed') AS observed,
              count(reward) AS rewarded,
              sum(reward) AS reward_sum,
              sum(reward * reward) AS reward_sum_of_squares,
              min(decided_at) AS first_decision_at,
              max(decided_at) AS last_decision_at`;

/** Deferred decisions count only once activated, as for learning. */
export const LEARNABLE = '(NOT deferred OR activated_at IS NOT NULL)';

const DAY_MS = 86_400_000;

/**
 * Everything the report needs from the decision log, per (policy arm, arm, UTC day) — at most a few
 * thousand rows whatever the traffic — rolled up here into the (policy arm, arm) and (policy arm, day)
 * totals: COUNT, SUM and SUM of squares of the learnable decisions of a surface. Whole UTC days inside
 * the window and before the surface's rollup watermark come from `report_daily` (see `rollUpReportDays`);
 * the rest of the window (a partial first day, the days not rolled up) is scanned, over the covering
 * index of migration 005. The watermark and the rows are read in one REPEATABLE READ snapshot, so a
 * rollup run or a late activation between them cannot count a day twice or stale. JIT compilation is off,
 * since compiling the scan costs seconds and saves far less.
 */
export async function readReportAggregates(db: Database, window: ReportWindow): Promise<ReportAggregates> {
  const { rows } = await db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await tx.query('SET LOCAL jit = off');
    const { rows: marks } = await tx.query<{ rolled_up_before: Date | null }>(
      'SELECT rolled_up_before FROM report_rollup WHERE surface = $1',
      [window.surface],
    );
    const rolled = rolledUpDays(window, marks[0]?.rolled_up_before ?? null);
    if (!rolled) {
      return tx.query<AggregateRow>(`${scan('$2', '$3')} ORDER BY 1, 2, 3`, [window.surface, window.from ?? null, window.to ?? null]);
    }
    // The rest of the window is scanned: [from, rolled.from) when bounded, a partial day; and [rolled.to, to).
    const parts = [
      `SELECT policy_arm, arm, day, decisions, observed, rewarded, reward_sum, reward_sum_of_squares, first_decision_at, last_decision_at
         FROM report_daily
        WHERE surface = $1 AND day >= coalesce($3::timestamptz, '-infinity') AND day < $4`,
      scan('$4', '$2'),
      ...(window.from ? [scan('$5', '$3')] : []),
    ];
    return tx.query<AggregateRow>(`${parts.join('\n       UNION ALL ')}\n        ORDER BY 1, 2, 3`, [
      window.surface,
      window.to ?? null,
      rolled.from,
      rolled.to,
      ...(window.from ? [window.from] : []),
    ]);
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

/** The learnable decisions of a surface in [$fromParam, $toParam) (NULL: unbounded), per policy arm, arm and day. */
function scan(fromParam: string, toParam: string): string {
  return `SELECT policy_arm, arm, ${DECISION_DAY} AS day, ${CELL_AGGREGATES}
         FROM decisions
        WHERE surface = $1
          AND decided_at >= coalesce(${fromParam}::timestamptz, '-infinity')
          AND decided_at < coalesce(${toParam}::timestamptz, 'infinity')
          AND ${LEARNABLE}
        GROUP BY 1, 2, 3`;
}

/**
 * The whole UTC days of the window before the watermark, [from, to), or undefined when there are none:
 * a day cut by the window's bounds is scanned, since its rollup covers decisions outside the window.
 */
function rolledUpDays(window: ReportWindow, rolledUpBefore: Date | null): { from: Date | null; to: Date } | undefined {
  if (!rolledUpBefore) return undefined;
  const from = window.from ? new Date(Math.ceil(window.from.getTime() / DAY_MS) * DAY_MS) : null;
  const toDay = window.to ? Math.floor(window.to.getTime() / DAY_MS) * DAY_MS : Infinity;
  const to = new Date(Math.min(toDay, rolledUpBefore.getTime()));
  return from && !(from < to) ? undefined : { from, to };
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
