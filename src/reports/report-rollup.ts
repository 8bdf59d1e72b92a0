import type { Database } from '../db/database.js';
import { DECISION_DAY, settledDecision, windowsClosedBefore } from '../db/settled-decisions.js';
import type { Surface } from '../surfaces/surface.js';
import { CELL_AGGREGATES, LEARNABLE } from './report-store.js';

const DAY_MS = 86_400_000;

export interface RolledUpSurface {
  surface: string;
  /** The surface's watermark after the run: every UTC day before it is in `report_daily`. */
  rolledUpBefore: Date;
  /** The days (re)computed by this run, [from, rolledUpBefore); `from` is null for the first run. */
  from: Date | null;
}

/**
 * Rolls the settled UTC days of each surface up into `report_daily`, so that the report reads them
 * instead of scanning their decisions. A surface's watermark moves up to the first day holding a
 * decision that is not settled (the retention rule, `settledDecision`, with the same margin: now − the
 * largest attribution window), and never past the day of that margin, so no decision can still arrive
 * in a rolled-up day. The days from the old watermark to the new one are recomputed whole (their rows
 * replaced) and the watermark moved in one transaction. The surface's watermark row is locked for the
 * run, so two replicas running it at once take turns, and a late activation (which moves the
 * watermark back to its day, see the decision store) waits for the run or is seen by it.
 *
 * One decision that stays unsettled (a reward not learned while the model store is down) holds the
 * watermark at its day; the report then scans from there, as correct and as slow as without the rollup.
 */
export async function rollUpReportDays(db: Database, surfaces: readonly Surface[], now: Date): Promise<RolledUpSurface[]> {
  const closedBefore = windowsClosedBefore(surfaces, now);
  const lastDay = new Date(Math.floor(closedBefore.getTime() / DAY_MS) * DAY_MS);
  const results: RolledUpSurface[] = [];
  for (const { config } of surfaces) {
    const result = await db.transaction(async (tx) => {
      await tx.query('SET LOCAL jit = off');
      await tx.query('INSERT INTO report_rollup (surface, rolled_up_before) VALUES ($1, NULL) ON CONFLICT (surface) DO NOTHING', [config.id]);
      const { rows: marks } = await tx.query<{ rolled_up_before: Date | null }>(
        'SELECT rolled_up_before FROM report_rollup WHERE surface = $1 FOR UPDATE',
        [config.id],
      );
      const from = marks[0]?.rolled_up_before ?? null;
      const { rows: unsettled } = await tx.query<{ first: Date | null }>(
        `SELECT min(decided_at) AS first FROM decisions
          WHERE surface = $1 AND decided_at >= coalesce($2::timestamptz, '-infinity') AND decided_at < $3
            AND NOT ${settledDecision('$4')}`,
        [config.id, from, lastDay, closedBefore],
      );
      const first = unsettled[0]?.first ?? null;
      const to = first ? new Date(Math.min(lastDay.getTime(), Math.floor(first.getTime() / DAY_MS) * DAY_MS)) : lastDay;
      if (from && !(from < to)) return undefined;
      // Rows at or past the old watermark are stale (a late activation moved it back): replace them all.
      await tx.query(`DELETE FROM report_daily WHERE surface = $1 AND day >= coalesce($2::timestamptz, '-infinity')`, [config.id, from]);
      await tx.query(
        `INSERT INTO report_daily (surface, policy_arm, arm, day, decisions, observed, rewarded, reward_sum,
                                   reward_sum_of_squares, first_decision_at, last_decision_at)
         SELECT surface, policy_arm, arm, ${DECISION_DAY} AS day, ${CELL_AGGREGATES}
           FROM decisions
          WHERE surface = $1 AND decided_at >= coalesce($2::timestamptz, '-infinity') AND decided_at < $3 AND ${LEARNABLE}
          GROUP BY 1, 2, 3, 4
         ON CONFLICT (surface, policy_arm, arm, day) DO UPDATE
            SET decisions = excluded.decisions, observed = excluded.observed, rewarded = excluded.rewarded,
                reward_sum = excluded.reward_sum, reward_sum_of_squares = excluded.reward_sum_of_squares,
                first_decision_at = excluded.first_decision_at, last_decision_at = excluded.last_decision_at`,
        [config.id, from, to],
      );
      await tx.query('UPDATE report_rollup SET rolled_up_before = $2 WHERE surface = $1', [config.id, to]);
      return { surface: config.id, rolledUpBefore: to, from };
    });
    if (result) results.push(result);
  }
  return results;
}
