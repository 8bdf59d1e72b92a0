import type { IntervalEstimate } from '../stats/mean-interval.js';
import type { ReportInterval } from './report-types.js';

/** JSON has no NaN: an undefined estimate or bound becomes null. */
export function toReportInterval({ estimate, low, high }: IntervalEstimate): ReportInterval {
  return { estimate: finiteOrNull(estimate), low: finiteOrNull(low), high: finiteOrNull(high) };
}

export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
