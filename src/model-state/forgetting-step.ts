/** Step length of the forgetting clock: γ is the factor per hour. */
const STEP_MS = 3_600_000;
/** Origin of the clock; with γ = 0.99 per hour the weights stay finite for about eight years from it. */
const ORIGIN_MS = Date.UTC(2026, 0, 1);

/** The forgetting clock's step for a time: whole hours since 2026-01-01T00:00Z. */
export function forgettingStep(time: Date): number {
  return Math.floor((time.getTime() - ORIGIN_MS) / STEP_MS);
}
