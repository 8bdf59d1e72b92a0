import type { IneligibleReason } from './campaign-arm.js';
import type { ArmCounters } from './eligibility.js';

/** One arm's counters for one request. */
export interface CounterQuery {
  surface: string;
  arm: string;
  /** `YYYY-MM-DD` (UTC) of the daily budget. */
  day: string;
  /** The unit whose frequency-cap counter to read; null without a unit or a cap. */
  unit: string | null;
}

/** One impression of an arm, with the limits it must stay within. */
export interface Impression extends CounterQuery {
  totalBudget?: number;
  dailyBudget?: number;
  cap?: { impressions: number; periodSeconds: number };
}

/** The pacing controller's shared state of one arm (see `pacing-controller.ts`). */
export interface PacingState {
  /** The pacing probability p ∈ [pMin, 1]. */
  probability: number;
  /** The arm's total spend when p was last updated, and when (epoch ms). */
  spent: number;
  at: number;
}

export type ReserveOutcome = 'reserved' | Extract<IneligibleReason, 'budget_total' | 'budget_daily' | 'frequency_cap' | 'counters_unavailable'>;

/**
 * Spend counters of campaign arms: total and daily impressions per arm, impressions per unit in a
 * frequency-cap window, and the pacing state. Redis shares them between replicas; the embedded default
 * keeps them in the process.
 */
export interface CampaignCounters {
  /** The counters of each query, in order; a pacing probability of 1 where none is stored. */
  read(queries: readonly CounterQuery[]): Promise<ArmCounters[]>;
  /**
   * Counts the impression only if it keeps every limit (atomically: concurrent reservations, from any
   * replica, never take a counter past its limit); otherwise counts nothing and names the limit.
   */
  reserve(impression: Impression): Promise<ReserveOutcome>;
  /** Counts the impression whatever the limits (a deferred decision being activated, already shown). */
  count(impression: Impression): Promise<void>;
  /** Sets the total and daily spend where no counter exists yet (after a lost Redis or a restart). */
  seed(surface: string, arm: string, day: string, total: number, daily: number): Promise<void>;
  readPacing(surface: string, arm: string): Promise<PacingState | undefined>;
  writePacing(surface: string, arm: string, state: PacingState): Promise<void>;
  /** Takes the arm's pacing lock for `ms` unless another replica holds it; true when taken. */
  tryLockPacing(surface: string, arm: string, ms: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Daily counters outlive their day by one, for the dashboard's yesterday and for clock skew. */
export const DAILY_TTL_SECONDS = 2 * 86_400;
