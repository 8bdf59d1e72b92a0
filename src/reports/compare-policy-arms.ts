import { twoSidedNormalQuantile } from '../evaluation/intervals.js';
import type { SurfaceConfig } from '../surfaces/surface.js';
import { confidenceSequence } from '../stats/confidence-sequence.js';
import { meanInterval } from '../stats/mean-interval.js';
import { relativeLift } from '../stats/relative-lift.js';
import { sampleMean, sampleVariance, type SampleSummary } from '../stats/sample-summary.js';
import { twoProportionZTest } from '../stats/two-proportion-z-test.js';
import { welchTTest, type TestResult } from '../stats/welch-t-test.js';
import { finiteOrNull, toReportInterval } from './report-interval.js';
import { addCell, type ArmAggregate, type CellAggregate } from './report-store.js';
import type { ReportComparison, ReportPolicyArm } from './report-types.js';

export interface ComparisonSettings {
  level: number;
  /** n* of the confidence sequences: the reward count at which they are tightest. */
  optimizedFor: number;
}

/**
 * One row per policy arm — the configured ones in configuration order, then any that only the log
 * knows — with its mean reward, fixed-horizon interval, confidence sequence, comparison against the
 * control and traffic per arm, all derived from the (policy arm, arm) aggregates.
 */
export function comparePolicyArms(
  config: SurfaceConfig,
  arms: readonly ArmAggregate[],
  control: string | null,
  settings: ComparisonSettings,
): ReportPolicyArm[] {
  const logged = [...new Set(arms.map((arm) => arm.policyArm))];
  const ids = [...config.policyArms.map((arm) => arm.id), ...logged.filter((id) => !config.policyArms.some((arm) => arm.id === id))];
  const totals = new Map(ids.map((id) => [id, sumCells(arms.filter((arm) => arm.policyArm === id))]));
  const allDecisions = [...totals.values()].reduce((sum, cell) => sum + cell.decisions, 0);
  const controlRewards = control === null ? undefined : totals.get(control)?.rewards;
  const [rewardMin, rewardMax] = config.reward.type === 'binary' ? [0, 1] : [config.reward.min!, config.reward.max!];
  return ids.map((id): ReportPolicyArm => {
    const configured = config.policyArms.find((arm) => arm.id === id);
    const own = arms.filter((arm) => arm.policyArm === id);
    const total = totals.get(id)!;
    return {
      policyArm: id,
      learner: configured?.learner.kind ?? null,
      configuredShare: configured?.share ?? null,
      observedShare: allDecisions === 0 ? 0 : total.decisions / allDecisions,
      decisions: total.decisions,
      rewarded: total.rewards.count,
      observed: total.observed,
      firstDecisionAt: own.length === 0 ? null : new Date(Math.min(...own.map((arm) => arm.firstDecisionAt.getTime()))).toISOString(),
      lastDecisionAt: own.length === 0 ? null : new Date(Math.max(...own.map((arm) => arm.lastDecisionAt.getTime()))).toISOString(),
      meanReward: toReportInterval(meanInterval(total.rewards, settings.level)),
      confidenceSequence: toReportInterval(
        confidenceSequence(total.rewards, { level: settings.level, rewardMin, rewardMax, optimizedFor: settings.optimizedFor }),
      ),
      comparison:
        controlRewards === undefined || id === control ? null : compare(total.rewards, controlRewards, config.reward.type, settings.level),
      arms: own.map((arm) => ({
        arm: arm.arm,
        decisions: arm.decisions,
        share: arm.decisions / total.decisions,
        rewarded: arm.rewards.count,
        meanReward: finiteOrNull(sampleMean(arm.rewards)),
      })),
    };
  });
}

/**
 * Treatment against control: the difference of means with its normal interval
 * x̄_T − x̄_C ± z·√(s²_T/n_T + s²_C/n_C), the relative lift (delta method, see `relativeLift`) and the
 * p-value of the two-proportion z-test for binary rewards or Welch's t-test otherwise.
 */
function compare(treatment: SampleSummary, control: SampleSummary, rewardType: 'binary' | 'continuous', level: number): ReportComparison {
  const z = twoSidedNormalQuantile(level);
  const difference = sampleMean(treatment) - sampleMean(control);
  const halfWidth = z * Math.sqrt(sampleVariance(treatment) / treatment.count + sampleVariance(control) / control.count);
  const test: TestResult =
    rewardType === 'binary' ? twoProportionZTest(treatment.sum, treatment.count, control.sum, control.count) : welchTTest(treatment, control);
  return {
    difference: toReportInterval({ estimate: difference, low: difference - halfWidth, high: difference + halfWidth }),
    relativeLift: toReportInterval(relativeLift(treatment, control, z)),
    test: test.test,
    statistic: finiteOrNull(test.statistic),
    pValue: finiteOrNull(test.pValue),
  };
}

function sumCells(cells: readonly CellAggregate[]): CellAggregate {
  const total: CellAggregate = { decisions: 0, observed: 0, rewards: { count: 0, sum: 0, sumOfSquares: 0 } };
  for (const cell of cells) addCell(total, cell);
  return total;
}
