import type { Database, Queryable } from './database.js';
import { DECISION_DAY, settledDecision, UNSETTLED } from './settled-decisions.js';

/** Serialises partition DDL across replicas: concurrent `CREATE TABLE IF NOT EXISTS` can still collide. */
const PARTITION_LOCK_KEY = 7_316_021_002;

const DAY_MS = 86_400_000;
const PARTITION_NAME = /^decisions_(\d{8})$/;
const CHECK_VIOLATION = '23514';

export interface EnsuredPartitions {
  created: string[];
  /**
   * Days whose rows already sit in the default partition (the service wrote them before their
   * partition existed). Postgres refuses to create a partition over rows in the default one, so these
   * days stay in the default partition, which retention trims by row.
   */
  blockedByDefault: string[];
}

/**
 * Creates the daily partitions `decisions_YYYYMMDD` (UTC days) from `now`'s day to `daysAhead` days
 * later. Idempotent and safe to run from several replicas at once. Run it before serving traffic and
 * then daily, so that decisions land in their own day's partition rather than the default one.
 */
export async function ensureDecisionPartitions(db: Database, now: Date, daysAhead = 7): Promise<EnsuredPartitions> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    const existing = new Set(await listDecisionPartitions(tx));
    const result: EnsuredPartitions = { created: [], blockedByDefault: [] };
    const firstDay = Math.floor(now.getTime() / DAY_MS);
    for (let day = firstDay; day <= firstDay + daysAhead; day++) {
      const from = new Date(day * DAY_MS);
      const name = partitionName(from);
      if (existing.has(name)) continue;
      // The savepoint keeps the transaction usable when the default partition blocks one day.
      await tx.query('SAVEPOINT create_partition');
      try {
        await tx.query(
          `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF decisions
             FOR VALUES FROM ('${from.toISOString()}') TO ('${new Date((day + 1) * DAY_MS).toISOString()}')`,
        );
        await tx.query('RELEASE SAVEPOINT create_partition');
        result.created.push(name);
      } catch (error) {
        if (!isCheckViolation(error)) throw error;
        await tx.query('ROLLBACK TO SAVEPOINT create_partition');
        result.blockedByDefault.push(name);
      }
    }
    return result;
  });
}

/**
 * What keeps an old decision: a row is settled, and may go, only when its reward window closed before
 * `windowsClosedBefore` (the caller passes now − the largest attribution window of any surface, so a
 * window closed less than that long ago still counts as open) and the sweeper has nothing left to do
 * with it (a learnable decision without a reward still waits for its default; a reward not yet learned
 * waits to be learned). A deferred decision never activated is settled once its window closed that
 * long ago: it can still be activated until then, and its partition is kept.
 */
export interface RetentionGuard {
  windowsClosedBefore: Date;
}

export interface DroppedPartitions {
  /** The partitions dropped (or, on a dry run, that would be). */
  dropped: string[];
  /** Partitions older than the cutoff kept because some of their decisions are not settled. */
  kept: Array<{ partition: string; openWindows: number; unsettled: number }>;
  /** Rows of the default partition deleted (or that would be): older than the cutoff and settled. */
  defaultRows: number;
}

/**
 * Drops the daily partitions of days before `day`'s UTC day whose decisions are all settled (see
 * `RetentionGuard`), deletes the settled rows of those days from the default partition, the event keys
 * of the decisions gone, and the report rollup of the days gone, in one transaction (the report stays
 * what a scan of the log would give). A partition holding one unsettled decision is kept
 * whole: dropping it would refuse that decision's reward (404) or lose what it has to teach.
 *
 * Dropping a partition briefly takes an exclusive lock on `decisions`, so run it off-peak.
 */
export async function dropDecisionPartitionsBefore(
  db: Database,
  day: Date,
  guard: RetentionGuard,
  options: { dryRun?: boolean } = {},
): Promise<DroppedPartitions> {
  const cutoff = new Date(Math.floor(day.getTime() / DAY_MS) * DAY_MS);
  const cutoffName = partitionName(cutoff);
  const { windowsClosedBefore } = guard;
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    const result: DroppedPartitions = { dropped: [], kept: [], defaultRows: 0 };
    for (const name of (await listDecisionPartitions(tx)).filter((candidate) => candidate < cutoffName).sort()) {
      const { rows } = await tx.query<{ open_windows: number; unsettled: number }>(
        `SELECT count(*) FILTER (WHERE reward_by >= $1) AS open_windows, count(*) FILTER (WHERE ${UNSETTLED}) AS unsettled
           FROM ${name}`,
        [windowsClosedBefore],
      );
      const { open_windows: openWindows = 0, unsettled = 0 } = rows[0] ?? {};
      if (openWindows > 0 || unsettled > 0) {
        result.kept.push({ partition: name, openWindows, unsettled });
        continue;
      }
      if (!options.dryRun) {
        await tx.query(`DROP TABLE ${name}`);
        await tx.query('DELETE FROM report_daily WHERE day = $1', [partitionDay(name)]);
      }
      result.dropped.push(name);
    }
    const settledDefaultRows = `decided_at < $1 AND ${settledDecision('$2')}`;
    const { rows } = options.dryRun
      ? await tx.query<{ count: number }>(`SELECT count(*) AS count FROM decisions_default WHERE ${settledDefaultRows}`, [cutoff, windowsClosedBefore])
      : await tx.query<{ count: number }>(
          `WITH deleted AS (DELETE FROM decisions_default WHERE ${settledDefaultRows} RETURNING surface, ${DECISION_DAY} AS day),
                forgotten AS (
                  DELETE FROM report_daily r USING (SELECT DISTINCT surface, day FROM deleted) d
                   WHERE r.surface = d.surface AND r.day = d.day
                )
           SELECT count(*) AS count FROM deleted`,
          [cutoff, windowsClosedBefore],
        );
    result.defaultRows = rows[0]?.count ?? 0;
    if (!options.dryRun) {
      await tx.query(
        `DELETE FROM decision_events e
          WHERE e.decided_at < $1
            AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.id = e.decision_id AND d.decided_at = e.decided_at)`,
        [cutoff],
      );
    }
    return result;
  });
}

/** The daily partitions of `decisions` (the default partition excluded). */
async function listDecisionPartitions(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'decisions'::regclass`,
  );
  return rows.map((row) => row.name).filter((name) => PARTITION_NAME.test(name));
}

function partitionName(day: Date): string {
  return `decisions_${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function partitionDay(name: string): Date {
  const digits = name.slice('decisions_'.length);
  return new Date(`${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}T00:00:00Z`);
}

function isCheckViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === CHECK_VIOLATION;
}
