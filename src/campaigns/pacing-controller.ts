import type { ArmConfig } from './campaign-arm.js';
import type { PacingState } from './campaign-counters.js';

/** The pacing probability never falls below this, so a throttled arm still spends and its rate stays measurable. */
export const MIN_PACING_PROBABILITY = 0.001;
/** Largest factor by which one update raises p; it lowers p by at most 1/MAX_DECREASE. */
const MAX_INCREASE = 2;
const MAX_DECREASE = 10;
const DAY_MS = 86_400_000;

/**
 * The planned spend rate of a paced arm (impressions per ms): its remaining budget spread evenly over
 * the time it has left to spend it, r* = min(B_day − S_day) / (T_day − t), (B − S) / (T_end − t)), each term
 * present when its budget is (B_day: daily budget and S_day its spend, T_day the next 00:00Z or the flight
 * end if earlier; B, S: total budget and spend, T_end: flight end). Re-planned at every update, so an
 * over- or under-spend so far is spread over what is left instead of accumulating.
 * @returns undefined when no term applies (a total budget without a flight end cannot be paced).
 */
export function plannedRate(config: ArmConfig, spend: { totalSpent: number; dailySpent: number }, now: Date): number | undefined {
  const budget = config.campaign?.budget;
  const t = now.getTime();
  const end = config.end === undefined ? Infinity : Date.parse(config.end);
  const rates: number[] = [];
  if (budget?.daily !== undefined) {
    const dayEnd = Math.min(Math.floor(t / DAY_MS) * DAY_MS + DAY_MS, end);
    rates.push(Math.max(budget.daily - spend.dailySpent, 0) / Math.max(dayEnd - t, 1));
  }
  if (budget?.total !== undefined && Number.isFinite(end)) {
    rates.push(Math.max(budget.total - spend.totalSpent, 0) / Math.max(end - t, 1));
  }
  return rates.length === 0 ? undefined : Math.min(...rates);
}

/**
 * One step of the multiplicative pacing controller (the throttling form of budget pacing, e.g. Agarwal
 * et al. 2014, "Budget pacing for targeted online advertisements at LinkedIn"):
 *
 *   p' = clamp(p · clamp(r* / r̂, 1/10, 2), p_min, 1),   r̂ = (S − S₀) / (t − t₀)
 *
 * where p is the current pacing probability, r* the planned rate (`plannedRate`), r̂ the measured spend
 * rate since the last update (spend S₀ at time t₀), p_min = 0.001. With no spend since the last update
 * (r̂ = 0) p doubles. The spend rate is proportional to p as long as traffic and the learner's share of
 * the arm move slowly against the update interval, so the step moves the rate onto the plan; the
 * asymmetric clamp cuts an overspend fast and recovers from a cut gradually, which damps oscillation
 * from the Poisson noise of a minute's impressions.
 * @param previous the stored state; undefined before the first update, which starts from p = 1.
 * @throws RangeError when the planned rate is negative or not finite.
 */
export function nextPacingState(
  previous: PacingState | undefined,
  totalSpent: number,
  planned: number,
  now: Date,
): PacingState {
  if (!(planned >= 0 && Number.isFinite(planned))) throw new RangeError(`planned rate must be finite and >= 0 (got ${planned})`);
  const t = now.getTime();
  if (previous === undefined || t <= previous.at) return { probability: previous?.probability ?? 1, spent: totalSpent, at: t };
  const actual = Math.max(totalSpent - previous.spent, 0) / (t - previous.at);
  const ratio = actual === 0 ? MAX_INCREASE : Math.min(Math.max(planned / actual, 1 / MAX_DECREASE), MAX_INCREASE);
  const probability = Math.min(Math.max(previous.probability * ratio, MIN_PACING_PROBABILITY), 1);
  return { probability, spent: totalSpent, at: t };
}
