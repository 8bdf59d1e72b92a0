import type { Database, Queryable } from './database.js';

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
 * Drops the daily partitions of days before `day`'s UTC day, and deletes the matching rows of the
 * default partition and of `decision_events`, in one transaction.
 *
 * Dropping a partition briefly takes an exclusive lock on `decisions`, so run it off-peak.
 * @returns the names of the dropped partitions.
 */
export async function dropDecisionPartitionsBefore(db: Database, day: Date): Promise<string[]> {
  const cutoff = new Date(Math.floor(day.getTime() / DAY_MS) * DAY_MS);
  const cutoffName = partitionName(cutoff);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    const dropped = (await listDecisionPartitions(tx)).filter((name) => name < cutoffName).sort();
    for (const name of dropped) await tx.query(`DROP TABLE ${name}`);
    await tx.query('DELETE FROM decisions_default WHERE decided_at < $1', [cutoff]);
    await tx.query('DELETE FROM decision_events WHERE decided_at < $1', [cutoff]);
    return dropped;
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

function isCheckViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === CHECK_VIOLATION;
}
