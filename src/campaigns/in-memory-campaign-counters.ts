import type { ArmCounters } from './eligibility.js';
import {
  DAILY_TTL_SECONDS,
  type CampaignCounters,
  type CounterQuery,
  type Impression,
  type PacingState,
  type ReserveOutcome,
} from './campaign-counters.js';

interface Entry {
  value: number;
  /** Epoch ms; Infinity for a counter that never expires. */
  expiresAt: number;
}

/**
 * The embedded default: counters in a Map with expiry, for a single replica. Every method's check and
 * increment run in one synchronous step, so concurrent requests in this process cannot overspend.
 */
export class InMemoryCampaignCounters implements CampaignCounters {
  private readonly entries = new Map<string, Entry>();
  private readonly pacing = new Map<string, PacingState>();
  private readonly locks = new Map<string, number>();
  private increments = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  async read(queries: readonly CounterQuery[]): Promise<ArmCounters[]> {
    return queries.map((query) => ({
      totalSpent: this.get(totalKey(query)),
      dailySpent: this.get(dailyKey(query)),
      capCount: query.unit === null ? 0 : this.get(capKey(query, query.unit)),
      pacing: this.pacing.get(armKey(query.surface, query.arm))?.probability ?? 1,
    }));
  }

  async reserve(impression: Impression): Promise<ReserveOutcome> {
    if (impression.totalBudget !== undefined && this.get(totalKey(impression)) >= impression.totalBudget) return 'budget_total';
    if (impression.dailyBudget !== undefined && this.get(dailyKey(impression)) >= impression.dailyBudget) return 'budget_daily';
    if (impression.cap && impression.unit !== null && this.get(capKey(impression, impression.unit)) >= impression.cap.impressions) {
      return 'frequency_cap';
    }
    this.add(impression);
    return 'reserved';
  }

  async count(impression: Impression): Promise<void> {
    this.add(impression);
  }

  async seed(surface: string, arm: string, day: string, total: number, daily: number): Promise<void> {
    const query = { surface, arm, day, unit: null };
    if (!this.live(totalKey(query))) this.entries.set(totalKey(query), { value: total, expiresAt: Infinity });
    if (!this.live(dailyKey(query))) this.entries.set(dailyKey(query), { value: daily, expiresAt: this.at(DAILY_TTL_SECONDS) });
  }

  async readPacing(surface: string, arm: string): Promise<PacingState | undefined> {
    return this.pacing.get(armKey(surface, arm));
  }

  async writePacing(surface: string, arm: string, state: PacingState): Promise<void> {
    this.pacing.set(armKey(surface, arm), state);
  }

  async tryLockPacing(surface: string, arm: string, ms: number): Promise<boolean> {
    const key = armKey(surface, arm);
    const now = this.now().getTime();
    if ((this.locks.get(key) ?? 0) > now) return false;
    this.locks.set(key, now + ms);
    return true;
  }

  async close(): Promise<void> {}

  private add(impression: Impression): void {
    // Expired cap windows of units never seen again would otherwise stay in the Map for good.
    if (++this.increments % PURGE_EVERY === 0) this.purge();
    this.increment(totalKey(impression), Infinity);
    this.increment(dailyKey(impression), DAILY_TTL_SECONDS);
    if (impression.cap && impression.unit !== null) this.increment(capKey(impression, impression.unit), impression.cap.periodSeconds);
  }

  /** INCR, and on the first increment EXPIRE: a cap window opens with the unit's first impression. */
  private increment(key: string, ttlSeconds: number): void {
    const entry = this.live(key);
    if (entry) entry.value += 1;
    else this.entries.set(key, { value: 1, expiresAt: this.at(ttlSeconds) });
  }

  private purge(): void {
    const now = this.now().getTime();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  private get(key: string): number {
    return this.live(key)?.value ?? 0;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private at(ttlSeconds: number): number {
    return ttlSeconds === Infinity ? Infinity : this.now().getTime() + ttlSeconds * 1000;
  }
}

const PURGE_EVERY = 10_000;

const armKey = (surface: string, arm: string): string => JSON.stringify([surface, arm]);
const totalKey = (query: CounterQuery): string => `${armKey(query.surface, query.arm)}:total`;
const dailyKey = (query: CounterQuery): string => `${armKey(query.surface, query.arm)}:daily:${query.day}`;
const capKey = (query: CounterQuery, unit: string): string => `${armKey(query.surface, query.arm)}:cap:${unit}`;
