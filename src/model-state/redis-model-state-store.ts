import { Redis } from 'ioredis';
import type { ModelSnapshot, ModelStateStore } from './model-state-store.js';

/**
 * Adds one decision's increment at most once: the marker `SET … NX` and every `HINCRBYFLOAT` run in one
 * script, so a retry, a second replica or a crash between the two can neither skip nor double an
 * increment. Redis does not undo a script's earlier writes when a later command fails, so everything that
 * could fail is checked before the marker is set. Fields are `<arm>|<index>` plus `_version`. The marker expires after `ttlSeconds`, far
 * beyond any attribution window.
 */
const APPLY_INCREMENT = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'hash' and kind ~= 'none' then return redis.error_reply('model statistics key holds a ' .. kind) end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return -1 end
for i = 3, #ARGV do
  if tonumber(ARGV[i]) ~= 0 then redis.call('HINCRBYFLOAT', KEYS[1], ARGV[2] .. '|' .. (i - 3), ARGV[i]) end
end
return redis.call('HINCRBY', KEYS[1], '_version', 1)
`;

const VERSION_FIELD = '_version';
const MARKER_TTL_SECONDS = 90 * 24 * 3600;

/**
 * Model state in Redis, shared by every replica. Keys carry the model key in a hash tag, so one model's
 * statistics and markers live in one slot of a Redis Cluster too.
 */
export class RedisModelStateStore implements ModelStateStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'limelight',
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.redis.defineCommand('applyIncrement', { numberOfKeys: 2, lua: APPLY_INCREMENT });
  }

  async applyIncrement(modelKey: string, decisionId: string, arm: string, increment: Float64Array): Promise<boolean> {
    const args = [String(MARKER_TTL_SECONDS), arm, ...Array.from(increment, String)];
    const apply = (this.redis as unknown as Record<string, (...args: string[]) => Promise<number>>)['applyIncrement']!;
    const result = await apply.call(this.redis, this.statisticsKey(modelKey), this.markerKey(modelKey, decisionId), ...args);
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

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  private statisticsKey(modelKey: string): string {
    return `${this.prefix}:{${modelKey}}:statistics`;
  }

  private markerKey(modelKey: string, decisionId: string): string {
    return `${this.prefix}:{${modelKey}}:learned:${decisionId}`;
  }
}
