import type { Database } from '../../db/database.js';
import { probabilityMap } from '../../decisions/decision-row.js';
import type { LoggedRound } from '../evaluation-types.js';
import { cursorBatches } from './cursor-batches.js';
import { rowStream, type RowStream } from './row-stream.js';

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

/** A row as the driver returns it: the JSON columns as text, parsed here (see `decisionLogQuery`). */
interface DecisionLogRow {
  decided_ms: number;
  policy_arm: string;
  context: string;
  candidates: string;
  probabilities: string;
  arm: string;
  propensity: number;
  reward: number;
}

/** Rows per FETCH: large enough that the round trip per batch is noise, small enough to stay a few MB. */
const DEFAULT_BATCH = 10_000;

/**
 * Streams the rewarded decisions of a surface in [from, to), in time order, through a server-side
 * cursor (`cursorBatches`), each as a round with its logged candidates and probabilities; `batches()`
 * hands them over a FETCH at a time. By default only rows the service learns from: rewarded and either
 * not deferred or activated, so the evaluation sees the same data the online learners saw.
 * @throws RangeError on an empty surface, an invalid date or an empty range.
 */
export function readDecisionLog(db: Database, filter: DecisionLogFilter, batchSize = DEFAULT_BATCH): RowStream<LoggedDecision> {
  return rowStream(async function* () {
    const { sql, params } = decisionLogQuery(filter);
    const candidates = new RepeatedJson<string[]>();
    const distribution = new RepeatedDistribution();
    for await (const rows of cursorBatches<DecisionLogRow>(db, sql, params, batchSize)) {
      yield rows.map((row): LoggedDecision => {
        const arms = candidates.parse(row.candidates);
        return {
          context: JSON.parse(row.context) as LoggedDecision['context'],
          action: row.arm,
          reward: row.reward,
          propensity: row.propensity,
          timestamp: new Date(row.decided_ms),
          candidates: arms,
          probabilities: distribution.of(arms, row.probabilities),
          policyArm: row.policy_arm,
        };
      });
    }
  });
}

/** The SELECT behind `readDecisionLog`: the rows of `decisionLogCondition`, in time order. */
function decisionLogQuery(filter: DecisionLogFilter): { sql: string; params: unknown[] } {
  const { condition, params } = decisionLogCondition(filter);
  return {
    // decided_at as epoch milliseconds, floored as the driver's timestamp parser truncates sub-millisecond
    // digits (exact: extract returns numeric), and the JSON columns as text: a number and the native
    // JSON.parse are several times cheaper than the driver's JavaScript parsers for timestamptz and text[],
    // and a candidate set or logged distribution repeated from the row before is not parsed again.
    // (One json_build_array per row would save the driver more, but doubles the server's time.)
    sql: `SELECT floor(extract(epoch FROM decided_at) * 1000)::float8 AS decided_ms, policy_arm, context::text AS context,
                 to_json(candidates)::text AS candidates, to_json(probabilities)::text AS probabilities, arm, propensity, reward
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

/**
 * JSON.parse that returns the previous value when the text equals the previous text: most rows of a
 * surface log the same candidate set, and under a fixed logging policy the same distribution. The
 * rounds only read these values, so sharing one object between them is safe.
 */
class RepeatedJson<T> {
  private text: string | undefined;
  private value: T | undefined;

  parse(text: string): T {
    if (text !== this.text) {
      this.value = JSON.parse(text) as T;
      this.text = text;
    }
    return this.value as T;
  }
}

/**
 * The arm → probability map of a row from its candidates and the JSON text of its probability vector,
 * which returns the previous map when both are the previous row's (the candidates as `RepeatedJson`
 * shares them), like `RepeatedJson`.
 */
class RepeatedDistribution {
  private candidates: readonly string[] | undefined;
  private text: string | undefined;
  private map: Record<string, number> = {};

  of(candidates: readonly string[], probabilitiesText: string): Record<string, number> {
    if (candidates !== this.candidates || probabilitiesText !== this.text) {
      this.map = probabilityMap(candidates, JSON.parse(probabilitiesText) as number[]);
      this.candidates = candidates;
      this.text = probabilitiesText;
    }
    return this.map;
  }
}
