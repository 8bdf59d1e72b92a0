import { describe, expect, it } from 'vitest';
import type { ArmConfig } from '../../src/campaigns/campaign-arm.js';
import type { PacingState } from '../../src/campaigns/campaign-counters.js';
import { MIN_PACING_PROBABILITY, nextPacingState, plannedRate } from '../../src/campaigns/pacing-controller.js';
import { seededRandom, type Random } from '../../src/stats/random.js';

const MINUTE_MS = 60_000;
const DAY_START = Date.parse('2026-12-02T00:00:00Z');

/** A Poisson draw by inversion (Knuth); fine for the means below (< 60). */
function poisson(mean: number, random: Random): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let product = random();
  while (product > limit) {
    k++;
    product *= random();
  }
  return k;
}

interface DayResult {
  spent: number;
  /** Largest |cumulative spend − plan| after the first two hours, as a fraction of the budget. */
  worstTrackingError: number;
}

/**
 * Simulates one day of a paced arm, minute by minute: requests arrive at a diurnal Poisson rate
 * λ(t) = base · (1 + 0.6 sin(2π(t − 6 h)/24 h)), the arm is eligible with the pacing probability p, the
 * learner then picks it with probability `share`, and the daily budget is a hard stop (as the reservation
 * script enforces). The controller runs once a minute with an injected clock, as every replica would.
 */
function simulateDay(budget: number, baseRequestsPerMinute: number, share: number, seed: string): DayResult {
  const random = seededRandom(seed);
  const config: ArmConfig = { id: 'campaign:x', kind: 'campaign', campaign: { budget: { daily: budget }, pacing: true } };
  let state: PacingState | undefined;
  let spent = 0;
  let worstTrackingError = 0;
  for (let minute = 0; minute < 1440; minute++) {
    const now = new Date(DAY_START + minute * MINUTE_MS);
    const planned = plannedRate(config, { totalSpent: spent, dailySpent: spent }, now);
    state = nextPacingState(state, spent, planned ?? 0, now);
    const hour = minute / 60;
    const requests = baseRequestsPerMinute * (1 + 0.6 * Math.sin((2 * Math.PI * (hour - 6)) / 24));
    const impressions = poisson(requests * state.probability * share, random);
    spent = Math.min(budget, spent + impressions);
    if (minute >= 120) {
      const plan = (budget * (minute + 1)) / 1440;
      worstTrackingError = Math.max(worstTrackingError, Math.abs(spent - plan) / budget);
    }
  }
  return { spent, worstTrackingError };
}

describe('the pacing controller', () => {
  it('plans the remaining daily budget over the rest of the UTC day, and the total over the rest of the flight', () => {
    const config: ArmConfig = {
      id: 'c',
      kind: 'campaign',
      end: '2026-12-11T00:00:00Z',
      campaign: { budget: { daily: 1_440, total: 100_000 }, pacing: true },
    };
    const noon = new Date('2026-12-01T12:00:00Z');
    // Daily: (1440 − 720) left over 12 h = 1 per minute. Total: 100 000 over 9.5 days ≈ 7.3 per minute. The smaller wins.
    expect(plannedRate(config, { totalSpent: 0, dailySpent: 720 }, noon)! * MINUTE_MS).toBeCloseTo(1, 12);
    // A total budget alone is spread over the flight: 950 left over 9.5 days = 100 per day.
    const totalOnly: ArmConfig = { ...config, campaign: { budget: { total: 1_000 }, pacing: true } };
    expect(plannedRate(totalOnly, { totalSpent: 50, dailySpent: 0 }, noon)! * 86_400_000).toBeCloseTo(100, 9);
    expect(plannedRate({ id: 'c', kind: 'campaign', campaign: { budget: { total: 5 } } }, { totalSpent: 0, dailySpent: 0 }, noon)).toBeUndefined();
  });

  it('doubles p after an interval with no spend, cuts it at most tenfold, and keeps it within [p_min, 1]', () => {
    const at = (ms: number) => new Date(DAY_START + ms);
    const start: PacingState = { probability: 0.2, spent: 100, at: DAY_START };
    expect(nextPacingState(start, 100, 1 / MINUTE_MS, at(MINUTE_MS)).probability).toBeCloseTo(0.4, 15);
    // Planned 1 per minute, spent 1000 in the minute: the ratio 0.001 is clamped to 1/10.
    expect(nextPacingState(start, 1_100, 1 / MINUTE_MS, at(MINUTE_MS)).probability).toBeCloseTo(0.02, 15);
    // Planned 2 per minute, spent 1: p doubles, but never past 1.
    expect(nextPacingState({ ...start, probability: 0.7 }, 101, 2 / MINUTE_MS, at(MINUTE_MS)).probability).toBe(1);
    expect(nextPacingState({ ...start, probability: MIN_PACING_PROBABILITY }, 1_100, 0, at(MINUTE_MS)).probability).toBe(MIN_PACING_PROBABILITY);
    expect(nextPacingState(undefined, 42, 1, at(0))).toEqual({ probability: 1, spent: 42, at: DAY_START });
    expect(() => nextPacingState(start, 100, Number.NaN, at(MINUTE_MS))).toThrow(RangeError);
  });

  it.each([
    ['a budget far below the traffic', 10_000, 500, 0.3],
    ['a budget near the traffic', 20_000, 60, 0.5],
    ['a small budget', 1_000, 200, 0.2],
  ])('keeps a simulated day of %s within ±10%% of plan', (_, budget, base, share) => {
    for (let day = 0; day < 5; day++) {
      const { spent, worstTrackingError } = simulateDay(budget, base, share, `pacing-day-${budget}-${day}`);
      expect(Math.abs(spent - budget) / budget).toBeLessThanOrEqual(0.1);
      expect(worstTrackingError).toBeLessThanOrEqual(0.1);
    }
  });
});
