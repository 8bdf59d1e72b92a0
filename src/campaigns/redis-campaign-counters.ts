import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ArmCounters } from './eligibility.js';
import {
  DAILY_TTL_SECONDS,
  type CampaignCounters,
  type CounterQuery,
  type Impression,
  type PacingState,
  type ReserveOutcome,
} from './campaign-counters.js';

/**
 * Checks every limit and counts the impression in one script, so no other reservation (from any replica)
 * runs between the check and the increment: a counter never passes its limit. KEYS: total, daily, cap
 * (the cap key is the total key when there is no cap). ARGV: total limit, daily limit, cap limit (-1 for
 * none), cap period, daily TTL, force (1: count whatever the limits). A counter's first INCR sets its
 * expiry, so a cap window opens with the unit's first impression.
 */
const RESERVE = `
local total = tonumber(redis.call('GET', KEYS[1]) or '0')
local daily = tonumber(redis.call('GET', KEYS[2]) or '0')
local capLimit = tonumber(ARGV[3])
if ARGV[6] ~= '1' then
  local totalLimit = tonumber(ARGV[1])
  local dailyLimit = tonumber(ARGV[2])
  if totalLimit >= 0 and total >= totalLimit then return 'budget_total' end
  if dailyLimit >= 0 and daily >= dailyLimit then return 'budget_daily' end
  if capLimit >= 0 and tonumber(redis.call('GET', KEYS[3]) or '0') >= capLimit then return 'frequency_cap' end
end
redis.call('INCR', KEYS[1])
if redis.call('INCR', KEYS[2]) == 1 then redis.call('EXPIRE', KEYS[2], ARGV[5]) end
if capLimit >= 0 and redis.call('INCR', KEYS[3]) == 1 then redis.call('EXPIRE', KEYS[3], ARGV[4]) end
return 'reserved'
`;

/** Like the model store: while Redis is away, a decision fails fast instead of queueing. */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * Campaign counters in Redis, shared by every replica. All keys of one arm carry the arm in a hash tag,
 * so the reservation script touches one slot of a Redis Cluster.
 */
export class RedisCampaignCounters implements CampaignCounters {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix = 'limelight') {
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    // Connection errors reach callers as failed commands (a failed /choose is a 5xx, never an overspend).
    this.redis.on('error', () => {});
    this.redis.defineCommand('reserveImpression', { numberOfKeys: 3, lua: RESERVE });
  }

  async read(queries: readonly CounterQuery[]): Promise<ArmCounters[]> {
    if (queries.length === 0) return [];
    this.requireConnection();
    const keys = queries.flatMap((query) => [
      this.key(query, 'total'),
      this.key(query, `daily:${query.day}`),
      query.unit === null ? this.key(query, 'total') : this.key(query, `cap:${query.unit}`),
      this.key(query, 'pacing'),
    ]);
    const values = await this.redis.mget(...keys);
    return queries.map((query, i) => {
      const pacing = values[4 * i + 3];
      return {
        totalSpent: Number(values[4 * i] ?? 0),
        dailySpent: Number(values[4 * i + 1] ?? 0),
        capCount: query.unit === null ? 0 : Number(values[4 * i + 2] ?? 0),
        pacing: pacing ? (JSON.parse(pacing) as PacingState).probability : 1,
      };
    });
  }

  async reserve(impression: Impression): Promise<ReserveOutcome> {
    this.requireConnection();
    return this.run(impression, false) as Promise<ReserveOutcome>;
  }

  /**
   * On the request path, a disconnected Redis fails at once. Queued, the command would hold its
   * `/choose` until the client's next reconnection attempt failed — 100 ms at first, backing off to a
   * second while Redis stays away; the counted arms are left out instead.
   */
  private requireConnection(): void {
    if (this.redis.status !== 'ready') throw new Error(`Redis is not connected (${this.redis.status})`);
  }

  async count(impression: Impression): Promise<void> {
    await this.run(impression, true);
  }

  async seed(surface: string, arm: string, day: string, total: number, daily: number): Promise<void> {
    const query = { surface, arm, day, unit: null };
    await this.redis.set(this.key(query, 'total'), total, 'NX');
    await this.redis.set(this.key(query, `daily:${day}`), daily, 'EX', DAILY_TTL_SECONDS, 'NX');
  }

  async readPacing(surface: string, arm: string): Promise<PacingState | undefined> {
    const value = await this.redis.get(this.key({ surface, arm }, 'pacing'));
    return value ? (JSON.parse(value) as PacingState) : undefined;
  }

  async writePacing(surface: string, arm: string, state: PacingState): Promise<void> {
    await this.redis.set(this.key({ surface, arm }, 'pacing'), JSON.stringify(state));
  }

  /** Never released: it lapses after `ms`, shorter than the update interval, so one replica updates per interval. */
  async tryLockPacing(surface: string, arm: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.key({ surface, arm }, 'pacing-lock'), randomUUID(), 'PX', ms, 'NX')) === 'OK';
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private run(impression: Impression, force: boolean): Promise<string> {
    const total = this.key(impression, 'total');
    const cap = impression.cap && impression.unit !== null ? this.key(impression, `cap:${impression.unit}`) : total;
    const reserve = (this.redis as Redis & { reserveImpression(...args: Array<string | number>): Promise<string> }).reserveImpression;
    return reserve.call(
      this.redis,
      total,
      this.key(impression, `daily:${impression.day}`),
      cap,
      impression.totalBudget ?? -1,
      impression.dailyBudget ?? -1,
      impression.cap && impression.unit !== null ? impression.cap.impressions : -1,
      impression.cap?.periodSeconds ?? 1,
      DAILY_TTL_SECONDS,
      force ? 1 : 0,
    );
  }

  private key({ surface, arm }: Pick<CounterQuery, 'surface' | 'arm'>, suffix: string): string {
    return `${this.prefix}:campaign:{${surface}:${arm}}:${suffix}`;
  }
}
