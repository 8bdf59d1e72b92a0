import type { Database, Queryable } from '../db/database.js';
import { DECISION_DAY } from '../db/settled-decisions.js';
import { decisionIdTimestamp } from './decision-id.js';
import type { DecisionRecord, NewDecision } from './decision-record.js';
import { INSERT_DECISIONS_SQL, toDecisionRecord, toNewDecisionRow, type DecisionRow } from './decision-row.js';
import type {
  ActivateResult,
  DecisionStore,
  InsertResult,
  LearnableFilter,
  PolicyArmStatistics,
  RewardJoinCounts,
  RewardResult,
} from './decision-store.js';

/** The log's INSERT, on every `/choose`: prepared once per connection (`QueryOptions.preparedAs`). */
const INSERT_DECISIONS = { preparedAs: 'limelight_insert_decisions' };

/** A decision counts for learning (and for default rewards) unless it is deferred and not yet activated. */
const LEARNABLE = '(NOT deferred OR activated_at IS NOT NULL)';

/** Sorts before every real (decided_at, id) key: the start of a keyset scan. */
const SCAN_START = ['-infinity', '00000000-0000-0000-0000-000000000000'] as const;

type RefusedOutcome = 'late' | 'duplicate' | 'unknown_id';

export class PostgresDecisionStore implements DecisionStore {
  constructor(private readonly db: Database) {}

  async insertMany(records: readonly NewDecision[]): Promise<InsertResult[]> {
    for (const record of records) assertIdMatchesTime(record);
    if (records.length === 0) return [];
    if (records.every((record) => record.eventId === null)) {
      // One statement is atomic on its own: no transaction, so one round trip instead of three.
      await this.db.query(INSERT_DECISIONS_SQL, [JSON.stringify(records.map(toNewDecisionRow))], INSERT_DECISIONS);
      return records.map((record) => ({ status: 'inserted', id: record.id }));
    }
    return this.db.transaction(async (tx) => {
      const claimed = await claimEventIds(tx, records);
      const fresh = new Set(
        records.filter((record) => record.eventId === null || claimed.has(record.id.toLowerCase())),
      );
      if (fresh.size > 0) await tx.query(INSERT_DECISIONS_SQL, [JSON.stringify([...fresh].map(toNewDecisionRow))], INSERT_DECISIONS);
      const earlier = await findEarlierDecisions(tx, records.filter((record) => !fresh.has(record)));
      return records.map((record): InsertResult => {
        if (fresh.has(record)) return { status: 'inserted', id: record.id };
        const decision = earlier.get(eventKey(record.surface, record.eventId));
        if (!decision) throw new Error(`Event ${record.eventId} of surface ${record.surface} has no decision`);
        return { status: 'existing', decision };
      });
    });
  }

  async findById(id: string): Promise<DecisionRecord | undefined> {
    return findById(this.db, id);
  }

  async findByEvent(surface: string, eventId: string): Promise<DecisionRecord | undefined> {
    const { rows } = await this.db.query<DecisionRow>(
      `SELECT d.* FROM decision_events e
         JOIN decisions d ON d.id = e.decision_id AND d.decided_at = e.decided_at
        WHERE e.surface = $1 AND e.event_id = $2`,
      [surface, eventId],
    );
    return rows[0] && toDecisionRecord(rows[0]);
  }

  async recordReward(id: string, reward: number, now: Date): Promise<RewardResult> {
    if (!Number.isFinite(reward)) throw new RangeError(`reward must be a finite number, got ${reward}`);
    const decidedAt = decisionIdTimestamp(id);
    if (decidedAt) {
      // One conditional UPDATE decides the race between two rewards, or a reward and the default sweep.
      const { rows } = await this.db.query<DecisionRow>(
        `UPDATE decisions SET reward = $3, reward_source = 'observed', rewarded_at = $4
          WHERE id = $1 AND decided_at = $2 AND reward IS NULL AND reward_by >= $4
          RETURNING *`,
        [id, decidedAt, reward, now],
      );
      if (rows[0]) return { status: 'recorded', decision: toDecisionRecord(rows[0]) };
      const decision = await findById(this.db, id);
      if (decision) {
        // A default reward means the window had closed: to the client that is a late reward.
        const status = decision.rewardSource === 'observed' ? 'duplicate' : 'late';
        await countRefusedReward(this.db, decision.surface, status);
        return { status, decision };
      }
    }
    await countRefusedReward(this.db, '', 'unknown_id');
    return { status: 'unknown' };
  }

  async activate(id: string, now: Date): Promise<ActivateResult | undefined> {
    const decidedAt = decisionIdTimestamp(id);
    if (!decidedAt) return undefined;
    // An activation after the reward window closed may change a day the report has rolled up (it makes
    // the decision learnable, and the sweeper then defaults its reward): the same statement moves the
    // surface's rollup watermark back to that day, and waits for a rollup run in progress to do so.
    const { rows } = await this.db.query<DecisionRow>(
      `WITH activated AS (
         UPDATE decisions SET activated_at = $3
          WHERE id = $1 AND decided_at = $2 AND activated_at IS NULL
          RETURNING *
       ), reopened AS (
         UPDATE report_rollup r
            SET rolled_up_before = CASE WHEN r.rolled_up_before > a.day THEN a.day ELSE r.rolled_up_before END
           FROM (SELECT surface, ${DECISION_DAY} AS day FROM activated WHERE reward_by < $3) a
          WHERE r.surface = a.surface
       )
       SELECT * FROM activated`,
      [id, decidedAt, now],
    );
    if (rows[0]) return { decision: toDecisionRecord(rows[0]), alreadyActive: false };
    const decision = await findById(this.db, id);
    return decision && { decision, alreadyActive: true };
  }

  async claimDefaultRewards(
    now: Date,
    limit: number,
    defaultRewards: Readonly<Record<string, number>>,
  ): Promise<DecisionRecord[]> {
    const surfaces = Object.keys(defaultRewards);
    if (surfaces.length === 0 || limit <= 0) return [];
    // SKIP LOCKED: a replica sweeping at the same time takes other rows instead of waiting for ours, and
    // a row that a concurrent reward has just filled fails the re-checked `reward IS NULL`.
    const { rows } = await this.db.query<DecisionRow>(
      `WITH defaults AS (
         SELECT * FROM unnest($3::text[], $4::double precision[]) AS t(surface, reward)
       ), due AS (
         SELECT d.id, d.decided_at, defaults.reward
           FROM decisions d JOIN defaults ON defaults.surface = d.surface
          WHERE d.reward IS NULL AND d.reward_by < $1 AND ${LEARNABLE}
          ORDER BY d.reward_by
          LIMIT $2
            FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE decisions SET reward = due.reward, reward_source = 'default', rewarded_at = $1
         FROM due
        WHERE decisions.id = due.id AND decisions.decided_at = due.decided_at
        RETURNING decisions.*`,
      [now, limit, surfaces, surfaces.map((surface) => defaultRewards[surface])],
    );
    return rows.map(toDecisionRecord);
  }

  async markLearned(ids: readonly string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    // The decision times let Postgres prune to the partitions that hold these ids.
    const decidedAts = ids.map((id) => {
      const decidedAt = decisionIdTimestamp(id);
      if (!decidedAt) throw new RangeError(`Decision id ${id} is not a UUIDv7`);
      return decidedAt;
    });
    await this.db.query(
      `UPDATE decisions SET learned_at = $3
        WHERE id = ANY($1::uuid[]) AND decided_at = ANY($2::timestamptz[]) AND learned_at IS NULL`,
      [ids, decidedAts, now],
    );
  }

  async findUnlearned(limit: number): Promise<DecisionRecord[]> {
    const { rows } = await this.db.query<DecisionRow>(
      `SELECT * FROM decisions
        WHERE reward IS NOT NULL AND learned_at IS NULL AND ${LEARNABLE}
        ORDER BY rewarded_at, id
        LIMIT $1`,
      [limit],
    );
    return rows.map(toDecisionRecord);
  }

  async countLearned(): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ model_key: string; learned: number }>(
      `SELECT model_key, count(*) AS learned FROM decisions WHERE learned_at IS NOT NULL GROUP BY model_key`,
    );
    return new Map(rows.map((row) => [row.model_key, row.learned]));
  }

  async *streamLearnable({ surface, modelKey }: LearnableFilter, batchSize: number): AsyncIterable<DecisionRecord> {
    let after: readonly [Date | string, string] = SCAN_START;
    for (;;) {
      // Keyset pagination: each page starts after the last key seen, so every page costs the same.
      const { rows } = await this.db.query<DecisionRow>(
        `SELECT * FROM decisions
          WHERE surface = $1 AND ($2::text IS NULL OR model_key = $2)
            AND reward IS NOT NULL AND ${LEARNABLE}
            AND (decided_at, id) > ($3::timestamptz, $4::uuid)
          ORDER BY decided_at, id
          LIMIT $5`,
        [surface, modelKey ?? null, after[0], after[1], batchSize],
      );
      for (const row of rows) yield toDecisionRecord(row);
      const last = rows.at(-1);
      if (!last || rows.length < batchSize) return;
      after = [last.decided_at, last.id];
    }
  }

  async rewardJoinCounts(surface: string): Promise<RewardJoinCounts> {
    const { rows } = await this.db.query<Omit<RewardJoinCounts, 'unknownId'> & { unknown_id: number }>(
      `WITH log AS (
         SELECT count(*) FILTER (WHERE reward IS NULL) AS pending,
                count(*) FILTER (WHERE reward_source = 'observed') AS rewarded,
                count(*) FILTER (WHERE reward_source = 'default') AS defaulted
           FROM decisions WHERE surface = $1
       ), refused AS (
         SELECT coalesce(sum(count) FILTER (WHERE surface = $1 AND outcome = 'late'), 0)::bigint AS late,
                coalesce(sum(count) FILTER (WHERE surface = $1 AND outcome = 'duplicate'), 0)::bigint AS duplicate,
                coalesce(sum(count) FILTER (WHERE surface = '' AND outcome = 'unknown_id'), 0)::bigint AS unknown_id
           FROM reward_outcomes
       )
       SELECT * FROM log, refused`,
      [surface],
    );
    const row = rows[0];
    if (!row) throw new Error('Aggregate query returned no row');
    const { unknown_id: unknownId, ...counts } = row;
    return { ...counts, unknownId };
  }

  async policyArmStatistics(surface: string): Promise<PolicyArmStatistics[]> {
    // One pass computes both levels: grouping sets add a total row per policy arm (arm IS NULL),
    // which NULLS FIRST puts before that policy arm's rows.
    const { rows } = await this.db.query<{
      policy_arm: string;
      arm: string | null;
      decisions: number;
      rewarded: number;
      mean_reward: number | null;
    }>(
      `SELECT policy_arm, arm, count(*) AS decisions, count(reward) AS rewarded, avg(reward) AS mean_reward
         FROM decisions WHERE surface = $1
        GROUP BY GROUPING SETS ((policy_arm), (policy_arm, arm))
        ORDER BY policy_arm, arm NULLS FIRST`,
      [surface],
    );
    const statistics: PolicyArmStatistics[] = [];
    for (const { policy_arm: policyArm, arm, decisions, rewarded, mean_reward: meanReward } of rows) {
      if (arm === null) statistics.push({ policyArm, decisions, rewarded, meanReward, arms: [] });
      else statistics.at(-1)?.arms.push({ arm, decisions, rewarded, meanReward });
    }
    return statistics;
  }
}

function assertIdMatchesTime(record: NewDecision): void {
  if (decisionIdTimestamp(record.id)?.getTime() !== record.decidedAt.getTime()) {
    throw new RangeError(`Decision id ${record.id} is not a UUIDv7 of its decidedAt ${record.decidedAt.toISOString()}`);
  }
}

/**
 * Claims the eventIds of `records` and returns the ids of the records that won them. The unique key
 * settles races: a concurrent insert of the same key makes ON CONFLICT wait for that transaction, so
 * a key we do not win is committed by then and visible to the next statement. Keys go in sorted
 * order so that two batches sharing several keys cannot deadlock.
 */
async function claimEventIds(tx: Queryable, records: readonly NewDecision[]): Promise<Set<string>> {
  const events = records
    .filter((record) => record.eventId !== null)
    .map((record) => ({
      surface: record.surface,
      event_id: record.eventId,
      id: record.id,
      decided_at: record.decidedAt,
    }));
  if (events.length === 0) return new Set();
  const { rows } = await tx.query<{ decision_id: string }>(
    `INSERT INTO decision_events (surface, event_id, decision_id, decided_at)
     SELECT surface, event_id, id, decided_at
       FROM jsonb_to_recordset($1::jsonb) AS e(surface text, event_id text, id uuid, decided_at timestamptz)
      ORDER BY surface, event_id
     ON CONFLICT DO NOTHING
     RETURNING decision_id`,
    [JSON.stringify(events)],
  );
  return new Set(rows.map((row) => row.decision_id));
}

/** The decisions holding the (surface, eventId) of `records`, by `eventKey`. */
async function findEarlierDecisions(
  tx: Queryable,
  records: readonly NewDecision[],
): Promise<Map<string, DecisionRecord>> {
  if (records.length === 0) return new Map();
  const { rows } = await tx.query<DecisionRow>(
    `SELECT d.* FROM decision_events e
       JOIN decisions d ON d.id = e.decision_id AND d.decided_at = e.decided_at
      WHERE (e.surface, e.event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [records.map((record) => record.surface), records.map((record) => record.eventId)],
  );
  return new Map(rows.map((row) => [eventKey(row.surface, row.event_id), toDecisionRecord(row)]));
}

function eventKey(surface: string, eventId: string | null): string {
  return JSON.stringify([surface, eventId]);
}

async function findById(db: Queryable, id: string): Promise<DecisionRecord | undefined> {
  const decidedAt = decisionIdTimestamp(id);
  if (!decidedAt) return undefined;
  // decided_at is implied by the id; stating it lets Postgres read a single partition.
  const { rows } = await db.query<DecisionRow>('SELECT * FROM decisions WHERE id = $1 AND decided_at = $2', [
    id,
    decidedAt,
  ]);
  return rows[0] && toDecisionRecord(rows[0]);
}

async function countRefusedReward(db: Queryable, surface: string, outcome: RefusedOutcome): Promise<void> {
  await db.query(
    `INSERT INTO reward_outcomes (surface, outcome, count) VALUES ($1, $2, 1)
     ON CONFLICT (surface, outcome) DO UPDATE SET count = reward_outcomes.count + 1`,
    [surface, outcome],
  );
}
