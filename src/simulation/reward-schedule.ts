import type { Random } from '../stats/random.js';

/** How a simulated listener reports the reward of a decision. */
export interface RewardScheduleOptions {
  /** Mean μ (ms) of the exponential delay between the answer to `/choose` and the reward. */
  meanDelayMs: number;
  /**
   * Probability that a listener who did not click sends nothing: clients often report only the
   * positive event, and the surface's default reward 0 applies when the window closes.
   */
  silentNonClick: number;
  /** Probability that a reward of any value is lost on the way (a killed app, a dropped request). */
  lost: number;
  /** Probability that a sent reward is sent a second time (a client retry), after a second delay. */
  duplicate: number;
}

export type RewardPlan =
  | { sent: false; why: 'silent' | 'lost' }
  /** Delays from the decision (ms) of each post: one, or two when the listener retries. */
  | { sent: true; delaysMs: number[] };

/**
 * When the reward of one decision is posted, given its true value. Every plan takes exactly five draws
 * from `random` (silence, loss, delay, retry, retry delay), so a plan depends on its own generator only.
 * Delays are exponential by inversion: D = −μ·ln(1 − U), U ~ Uniform[0, 1), whose mean is μ; a retry
 * comes D₂ (drawn alike) after the first post.
 * @throws RangeError naming an option outside its range, or a reward that is not 0 or 1.
 */
export function rewardPlan(reward: number, options: RewardScheduleOptions, random: Random): RewardPlan {
  checkOptions(options);
  if (reward !== 0 && reward !== 1) throw new RangeError(`reward must be 0 or 1, got ${reward}`);
  const [silence, loss, delay, retry, retryDelay] = [random(), random(), random(), random(), random()];
  if (reward === 0 && silence < options.silentNonClick) return { sent: false, why: 'silent' };
  if (loss < options.lost) return { sent: false, why: 'lost' };
  const first = exponential(delay, options.meanDelayMs);
  if (retry >= options.duplicate) return { sent: true, delaysMs: [first] };
  return { sent: true, delaysMs: [first, first + exponential(retryDelay, options.meanDelayMs)] };
}

function exponential(u: number, mean: number): number {
  return -mean * Math.log(1 - u);
}

function checkOptions(options: RewardScheduleOptions): void {
  if (!(options.meanDelayMs >= 0 && Number.isFinite(options.meanDelayMs))) {
    throw new RangeError(`meanDelayMs must be a finite number ≥ 0, got ${options.meanDelayMs}`);
  }
  for (const name of ['silentNonClick', 'lost', 'duplicate'] as const) {
    if (!(options[name] >= 0 && options[name] <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${options[name]}`);
  }
}
