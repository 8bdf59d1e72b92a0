import { describe, expect, it } from 'vitest';
import { rewardPlan, type RewardScheduleOptions } from '../../src/simulation/reward-schedule.js';
import { seededRandom, type Random } from '../../src/stats/random.js';

const OPTIONS: RewardScheduleOptions = { meanDelayMs: 300, silentNonClick: 0.5, lost: 0.02, duplicate: 0.05 };

/** A generator that returns `draws` in turn and counts how many were taken. */
function scripted(draws: number[]): Random & { taken: () => number } {
  let taken = 0;
  return Object.assign(() => draws[taken++] ?? 0.5, { taken: () => taken });
}

describe('rewardPlan', () => {
  // Draws: silence, loss, delay, retry, retry delay. −300·ln(1 − u) at u = 1 − e⁻¹ is exactly 300 up to rounding.
  const u = 1 - Math.exp(-1);

  it.each<[string, number, number[], unknown]>([
    ['a silent non-click', 0, [0.49, 0.9, u, 0.9, u], { sent: false, why: 'silent' }],
    ['a click, never silent', 1, [0.49, 0.9, u, 0.9, u], { sent: true, delaysMs: [300] }],
    ['a lost click', 1, [0.9, 0.01, u, 0.9, u], { sent: false, why: 'lost' }],
    ['a lost non-click that was not silent', 0, [0.5, 0.01, u, 0.9, u], { sent: false, why: 'lost' }],
    ['a posted non-click', 0, [0.5, 0.02, 0, 0.05, u], { sent: true, delaysMs: [0] }],
    ['a click posted twice', 1, [0.9, 0.9, u, 0.04, u], { sent: true, delaysMs: [300, 600] }],
  ])('plans %s', (_, reward, draws, expected) => {
    const random = scripted(draws);
    const plan = rewardPlan(reward, OPTIONS, random);
    expect(plan.sent ? { ...plan, delaysMs: plan.delaysMs.map((delay) => Number(delay.toFixed(9))) } : plan).toEqual(expected);
    // Always five draws, whatever the branch: a plan depends on its own generator only.
    expect(random.taken()).toBe(5);
  });

  it('matches its rates and mean delay over many seeded plans', () => {
    // 40 000 plans, half clicks. Each tolerance is 4 standard errors: a fresh seed fails one of the four
    // checks with probability below 3e-4. Expected: silent = 0.5 of non-clicks; lost = 0.02 of what is
    // not silent; duplicate = 0.05 of what is sent; first delay Exp(300): mean 300, sd 300.
    const n = 40_000;
    const random = seededRandom('reward-schedule');
    let nonClicks = 0;
    let silent = 0;
    let notSilent = 0;
    let lost = 0;
    const delays: number[] = [];
    let twice = 0;
    for (let i = 0; i < n; i++) {
      const reward = i % 2;
      const plan = rewardPlan(reward, OPTIONS, random);
      if (reward === 0) nonClicks += 1;
      if (!plan.sent && plan.why === 'silent') silent += 1;
      else notSilent += 1;
      if (!plan.sent && plan.why === 'lost') lost += 1;
      if (plan.sent) {
        delays.push(plan.delaysMs[0]!);
        if (plan.delaysMs.length === 2) twice += 1;
        if (plan.delaysMs.length === 2) expect(plan.delaysMs[1]!).toBeGreaterThanOrEqual(plan.delaysMs[0]!);
      }
    }
    const within = (observed: number, p: number, count: number) =>
      expect(Math.abs(observed / count - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / count));
    within(silent, 0.5, nonClicks);
    within(lost, 0.02, notSilent);
    within(twice, 0.05, delays.length);
    const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
    expect(Math.abs(mean - 300)).toBeLessThan(4 * (300 / Math.sqrt(delays.length)));
  });

  it('replays the same plans from the same seed', () => {
    const plans = (seed: string) => Array.from({ length: 50 }, (_, i) => rewardPlan(i % 2, OPTIONS, seededRandom(`${seed}:${i}`)));
    expect(plans('a')).toEqual(plans('a'));
    expect(plans('a')).not.toEqual(plans('b'));
  });

  it.each<[Partial<RewardScheduleOptions>, number, string]>([
    [{ meanDelayMs: -1 }, 1, 'meanDelayMs must be a finite number ≥ 0, got -1'],
    [{ meanDelayMs: Infinity }, 1, 'meanDelayMs must be a finite number ≥ 0, got Infinity'],
    [{ silentNonClick: 1.5 }, 1, 'silentNonClick must be in [0, 1], got 1.5'],
    [{ lost: -0.1 }, 1, 'lost must be in [0, 1], got -0.1'],
    [{ duplicate: Number.NaN }, 1, 'duplicate must be in [0, 1], got NaN'],
    [{}, 0.5, 'reward must be 0 or 1, got 0.5'],
  ])('refuses %j with reward %d', (override, reward, message) => {
    expect(() => rewardPlan(reward, { ...OPTIONS, ...override }, seededRandom('x'))).toThrow(new RangeError(message));
  });
});
