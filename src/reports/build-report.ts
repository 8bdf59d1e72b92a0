import type { Database } from '../db/database.js';
import type { PolicyTargetSpec } from '../evaluation/targets/policy-target.js';
import type { Surface } from '../surfaces/surface.js';
import { comparePolicyArms } from './compare-policy-arms.js';
import { dailySeries } from './daily-series.js';
import { buildLeaderboard } from './leaderboard.js';
import { readReportAggregates } from './report-store.js';
import type { Report } from './report-types.js';
import { sampleRatioMismatch } from './sample-ratio-mismatch.js';

/** Confidence level of every interval and sequence of the report. */
const LEVEL = 0.95;

/**
 * n* of the confidence sequences: they are tightest at 10 000 rewards, a typical size for a policy
 * arm's comparison to settle, and still valid (only wider) before and after.
 */
const SEQUENCE_OPTIMIZED_FOR = 10_000;

/** What a reader asks for; the service adds the clock. */
export type ReportRequest = Omit<ReportQuery, 'now'>;

export interface ReportQuery {
  /** Half-open window [from, to) on the decision time; unbounded ends when absent. */
  from?: Date;
  to?: Date;
  /** Compute the counterfactual leaderboard (reads the control's traffic row by row). Default true. */
  leaderboard?: boolean;
  /** Policy configs to put on the leaderboard besides the surface's own. */
  candidates?: readonly PolicyTargetSpec[];
  now: Date;
}

/**
 * The policy-arm comparison of one surface, used alike by the API, the CLI and the dashboard: per
 * policy arm the traffic, mean reward with fixed-horizon interval and confidence sequence, comparison
 * against the control (the policy arm whose learner is `uniform`), traffic per arm, the
 * sample-ratio-mismatch check, daily and cumulative mean reward, and the counterfactual leaderboard.
 * Everything but the leaderboard comes from one aggregate query (`readReportAggregates`).
 * @throws RangeError when `from` is not before `to`.
 */
export async function buildReport(db: Database, surface: Surface, query: ReportQuery): Promise<Report> {
  const { config } = surface;
  const { from, to } = query;
  if (from && to && !(from < to)) throw new RangeError(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  const aggregates = await readReportAggregates(db, { surface: config.id, ...(from ? { from } : {}), ...(to ? { to } : {}) });
  const control = config.policyArms.find((arm) => arm.learner.kind === 'uniform')?.id ?? null;
  const policyArms = comparePolicyArms(config, aggregates.arms, control, { level: LEVEL, optimizedFor: SEQUENCE_OPTIMIZED_FOR });
  const configured = policyArms.filter((arm) => arm.configuredShare !== null);
  const controlRow = policyArms.find((arm) => arm.policyArm === control);
  const leaderboard =
    (query.leaderboard ?? true) && control !== null && controlRow && controlRow.rewarded > 0
      ? await buildLeaderboard(db, {
          config,
          control,
          from: from ?? new Date(controlRow.firstDecisionAt!),
          to: to ?? new Date(Date.parse(controlRow.lastDecisionAt!) + 1),
          candidates: query.candidates ?? [],
          level: LEVEL,
        })
      : null;
  return {
    surface: config.id,
    from: from?.toISOString() ?? null,
    to: to?.toISOString() ?? null,
    generatedAt: query.now.toISOString(),
    level: LEVEL,
    rewardType: config.reward.type,
    controlPolicyArm: control,
    test: config.reward.type === 'binary' ? 'two-proportion-z' : 'welch-t',
    confidenceSequence: {
      method: 'normal-mixture boundary, Hoeffding variance proxy (Howard, Ramdas, McAuliffe & Sekhon 2021)',
      optimizedFor: SEQUENCE_OPTIMIZED_FOR,
    },
    policyArms,
    sampleRatioMismatch: sampleRatioMismatch(configured.map((arm) => ({ decisions: arm.decisions, share: arm.configuredShare! }))),
    timeSeries: dailySeries(aggregates.days, policyArms.map((arm) => arm.policyArm)),
    leaderboard,
  };
}
