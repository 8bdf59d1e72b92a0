import { sampleMean } from '../stats/sample-summary.js';
import { finiteOrNull } from './report-interval.js';
import type { DayAggregate } from './report-store.js';
import type { ReportTimeSeries } from './report-types.js';

/**
 * Daily and cumulative mean reward per policy arm, aligned on the UTC days on which any policy arm
 * decided: a day without rewards has a null daily mean and carries the cumulative mean forward.
 */
export function dailySeries(days: readonly DayAggregate[], policyArms: readonly string[]): ReportTimeSeries {
  const dayKeys = [...new Set(days.map((day) => day.day.toISOString().slice(0, 10)))].sort();
  const index = new Map(dayKeys.map((day, i) => [day, i]));
  return {
    days: dayKeys,
    policyArms: policyArms.map((policyArm) => {
      const rewarded = new Array<number>(dayKeys.length).fill(0);
      const meanReward = new Array<number | null>(dayKeys.length).fill(null);
      const sums = new Array<number>(dayKeys.length).fill(0);
      for (const day of days) {
        if (day.policyArm !== policyArm) continue;
        const i = index.get(day.day.toISOString().slice(0, 10))!;
        rewarded[i] = day.rewards.count;
        sums[i] = day.rewards.sum;
        meanReward[i] = finiteOrNull(sampleMean(day.rewards));
      }
      let count = 0;
      let sum = 0;
      const cumulativeMeanReward = rewarded.map((n, i) => {
        count += n;
        sum += sums[i]!;
        return count === 0 ? null : sum / count;
      });
      return { policyArm, rewarded, meanReward, cumulativeMeanReward };
    }),
  };
}
