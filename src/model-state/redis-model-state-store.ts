import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ModelSnapshot, ModelStateStore } from './model-state-store.js';

/**
 * Adds one decision's increment at most once: the marker `SET … NX` and every `HINCRBYFLOAT` run in one
 * script, so a retry, a second replica or a crash between the two can neither skip nor double an
 * increment. Redis does not undo a script's earlier writes when a later command fails, so everything that
 * could fail is checked before the marker is set. Fields are `<arm>|<index>` plus `_version`. The marker expires after `ttlSeconds`, far
 * beyond any attribution window. While a replica restores the model from the log (it holds the restore
 * lock, KEYS[3]) the script refuses: the reward stays unlearned in the log and the sweeper retries it.
 */
const APPLY_INCREMENT = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'hash' and kind ~= 'none' then return redis.error_reply('model statistics key holds a ' .. kind) end
if redis.call('EXISTS', KEYS[3]) == 1 then return redis.error_reply('RESTORING the model is being restored from the decision log') end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return -1 end
for i = 3, #ARGV do
  if tonumber(ARGV[i]) ~= 0 then redis.call('HINCRBYFLOAT', KEYS[1], ARGV[2] .. '|' .. (i - 3), ARGV[i]) end
end
return redis.call('HINCRBY', KEYS[1], '_version', 1)
`;

/** Replaces the statistics only while the caller still holds the restore lock (KEYS[2] = ARGV[1]). */
const REPLACE_IF_LOCKED = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '_version', ARGV[2])
for i = 3, #ARGV, 200 do
  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 199, #ARGV)))
end
return 1
`;

const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const VERSION_FIELD = '_version';
const MARKER_TTL_SECONDS = 90 * 24 * 3600;
const MARKER_BATCH = 1_000;
/**
 * Every command settles within this time, queued or sent: while Redis is away nothing waits on it
 * for long (a timed-out increment may still land; its marker makes the sweeper's retry a no-op).
 */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * Model state in Redis, shared by every replica. Keys carry the model key in a hash tag, so one model's
 * statistics and markers live in one slot of a Redis Cluster too.
 */
export class RedisModelStateStore implements ModelStateStore {
  private readonly redis: Redis;
  private readyCount = 0;

  constructor(
    url: string,
    private readonly prefix = 'limelight',
  ) {
    // While disconnected a command waits in the offline queue for at most COMMAND_TIMEOUT_MS (start-up
    // needs the queue); increments and pings do not wait at all. Reconnect attempts stay at most 1 s apart.
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    // Connection errors reach callers as failed commands (readiness, refresh warnings, sweeper retries).
    this.redis.on('error', () => {});
    this.redis.on('ready', () => (this.readyCount += 1));
    this.redis.defineCommand('applyIncrement', { numberOfKeys: 3, lua: APPLY_INCREMENT });
    this.redis.defineCommand('replaceIfLocked', { numberOfKeys: 2, lua: REPLACE_IF_LOCKED });
    this.redis.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
  }

  async applyIncrement(modelKey: string, decisionId: string, arm: string, increment: Float64Array): Promise<boolean> {
    // A reward answers without waiting for a reconnect; the sweeper learns it once Redis is back.
    if (this.redis.status !== 'ready') throw new Error(`Redis is not connected (${this.redis.status})`);
    const args = [String(MARKER_TTL_SECONDS), arm, ...Array.from(increment, String)];
    const keys = [this.statisticsKey(modelKey), this.markerKey(modelKey, decisionId), this.restoreLockKey(modelKey)];
    const result = await this.script('applyIncrement')(...keys, ...args);
    return result >= 0;
  }

  async version(modelKey: string): Promise<number> {
    return Number((await this.redis.hget(this.statisticsKey(modelKey), VERSION_FIELD)) ?? 0);
  }

  async read(modelKey: string, length: number): Promise<ModelSnapshot> {
    const fields = await this.redis.hgetall(this.statisticsKey(modelKey));
    const arms = new Map<string, Float64Array>();
    for (const [field, value] of Object.entries(fields)) {
      if (field === VERSION_FIELD) continue;
      const separator = field.lastIndexOf('|');
      const arm = field.slice(0, separator);
      const index = Number(field.slice(separator + 1));
      if (!(index < length)) continue;
      let vector = arms.get(arm);
      if (!vector) {
        vector = new Float64Array(length);
        arms.set(arm, vector);
      }
      vector[index] = Number(value);
    }
    return { version: Number(fields[VERSION_FIELD] ?? 0), arms };
  }

  async replace(modelKey: string, arms: ReadonlyMap<string, Float64Array>, version: number): Promise<void> {
    const key = this.statisticsKey(modelKey);
    const fields: Record<string, string> = {};
    for (const [arm, vector] of arms) vector.forEach((value, index) => (fields[`${arm}|${index}`] = String(value)));
    fields[VERSION_FIELD] = String(version);
    await this.redis.multi().del(key).hset(key, fields).exec();
  }

  /** How many times the connection became ready: a change means Redis was away and may have lost data. */
  get connections(): number {
    return this.readyCount;
  }

  /**
   * Takes the model's restore lock for `ttlMs` (`SET … NX PX`), so that one replica restores it while
   * increments wait. @returns the lock's token, or undefined when another replica holds it.
   */
  async acquireRestoreLock(modelKey: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    return (await this.redis.set(this.restoreLockKey(modelKey), token, 'PX', ttlMs, 'NX')) === 'OK' ? token : undefined;
  }

  async releaseRestoreLock(modelKey: string, token: string): Promise<void> {
    await this.script('releaseLock')(this.restoreLockKey(modelKey), token);
  }

  /**
   * Restores a model that Redis lost from its rebuild over the log: first the at-most-once markers of
   * every folded decision (so that a late increment of one of them is refused), then the statistics,
   * replaced only if `token` still holds the restore lock. @returns false when the lock was lost.
   */
  async restore(modelKey: string, token: string, arms: ReadonlyMap<string, Float64Array>, version: number, decisionIds: readonly string[]): Promise<boolean> {
    for (let start = 0; start < decisionIds.length; start += MARKER_BATCH) {
      const pipeline = this.redis.pipeline();
      for (const id of decisionIds.slice(start, start + MARKER_BATCH)) pipeline.set(this.markerKey(modelKey, id), '1', 'EX', MARKER_TTL_SECONDS, 'NX');
      for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
    }
    const fields = [...arms].flatMap(([arm, vector]) => Array.from(vector, (value, index) => [`${arm}|${index}`, String(value)]).flat());
    const replaced = await this.script('replaceIfLocked')(this.statisticsKey(modelKey), this.restoreLockKey(modelKey), token, String(version), ...fields);
    return replaced === 1;
  }

  async ping(): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // QUIT cannot reach a Redis that is away; shutting down must not wait for it.
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private statisticsKey(modelKey: string): string {
    return `${this.prefix}:{${modelKey}}:statistics`;
  }

  private markerKey(modelKey: string, decisionId: string): string {
    return `${this.prefix}:{${modelKey}}:learned:${decisionId}`;
  }

  private restoreLockKey(modelKey: string): string {
    return `${this.prefix}:{${modelKey}}:restoring`;
  }

  private script(name: 'applyIncrement' | 'replaceIfLocked' | 'releaseLock'): (...args: string[]) => Promise<number> {
    const command = (this.redis as unknown as Record<string, (...args: string[]) => Promise<number>>)[name]!;
    return command.bind(this.redis);
  }
}
