import type { Surface } from '../surfaces/surface.js';
import type { Database } from './database.js';
import { dropDecisionPartitionsBefore, type DroppedPartitions } from './partitions.js';
import { windowsClosedBefore as closedBefore } from './settled-decisions.js';

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  now: Date;
  /** Decisions of UTC days entirely before `now` − this many days are candidates. */
  olderThanDays: number;
  dryRun?: boolean;
}

export interface RetentionResult extends DroppedPartitions {
  /** The first day kept whatever its rows: partitions of days before it are candidates. */
  cutoff: Date;
  /** now − the largest attribution window of any surface: a row whose reward_by is not before it is open. */
  windowsClosedBefore: Date;
}

/**
 * Applies the retention rule to the decision log. A daily partition is dropped when (1) its day ended
 * at least `olderThanDays` days ago (by UTC day), (2) every decision in it has `reward_by` earlier than
 * now minus the largest attribution window of any surface — so no reward can still arrive for it, and
 * a deferred decision in it can no longer be activated to any effect — and (3) the sweeper is done with
 * it: no learnable decision waits for its default reward or for its reward to be learned. Otherwise the
 * whole partition is kept, and the next run looks again.
 */
export async function applyRetention(db: Database, surfaces: readonly Surface[], options: RetentionOptions): Promise<RetentionResult> {
  if (!Number.isInteger(options.olderThanDays) || options.olderThanDays < 1) {
    throw new RangeError(`olderThanDays must be a positive integer, got ${options.olderThanDays}`);
  }
  const windowsClosedBefore = closedBefore(surfaces, options.now);
  const cutoff = new Date(Math.floor((options.now.getTime() - options.olderThanDays * DAY_MS) / DAY_MS) * DAY_MS);
  const dropped = await dropDecisionPartitionsBefore(db, cutoff, { windowsClosedBefore }, { dryRun: options.dryRun ?? false });
  return { ...dropped, cutoff, windowsClosedBefore };
}
