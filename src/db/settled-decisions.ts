import type { Surface } from '../surfaces/surface.js';

/**
 * now − the largest attribution window of any surface: a decision whose `reward_by` is not before it
 * still counts as open, so that a window closed only moments ago (or by another replica's clock) does.
 */
export function windowsClosedBefore(surfaces: readonly Surface[], now: Date): Date {
  const largestWindowMs = Math.max(0, ...surfaces.map((surface) => surface.config.reward.attributionWindowSeconds * 1000));
  return new Date(now.getTime() - largestWindowMs);
}

/** A row the sweeper still has work for: learnable, and without a reward or not yet learned. */
export const UNSETTLED = '(NOT deferred OR activated_at IS NOT NULL) AND (reward IS NULL OR learned_at IS NULL)';

/**
 * The SQL condition of a settled decision, the one rule retention and the report rollup share: its reward
 * window closed before `closedBeforeParam` (a `windowsClosedBefore`), and the sweeper has nothing left to
 * do with it. A deferred decision never activated is settled by then.
 */
export function settledDecision(closedBeforeParam: string): string {
  return `(reward_by < ${closedBeforeParam} AND NOT (${UNSETTLED}))`;
}

/** The UTC day of a decision, by arithmetic rather than the time-zone rules `date_trunc` consults per row. */
export const DECISION_DAY = "date_bin('1 day', decided_at, timestamptz '2000-01-01T00:00:00Z')";
