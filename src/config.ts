import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * The only reader of the environment. Every value is parsed and bounded here; a bad value stops the
 * process at start-up with a message naming the variable, instead of silently falling back.
 */
export interface Config {
  port: number;
  /** Postgres; absent → the embedded PGlite database under `dataDir`. */
  databaseUrl: string | undefined;
  /** Redis; absent → model state in this process (one replica). */
  redisUrl: string | undefined;
  /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  policiesDir: string;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How stale a replica's in-memory model may get before it re-reads the shared statistics. */
  modelStalenessMs: number;
  /** How often each replica closes expired reward windows and retries unlearned rewards. */
  sweepIntervalMs: number;
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** `npm run retention` drops decision partitions older than this many days (never an open window). */
  retentionDays: number;
  /** A key with every scope, from ADMIN_API_KEY or the file ADMIN_API_KEY_FILE names; never logged. */
  adminApiKey: string | undefined;
  /** Per API key and replica: the sustained rate and the burst of its token bucket. */
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  /** How long a replica trusts a key it looked up, hence how late a revoke on another replica bites. */
  apiKeyCacheMs: number;
  /** Serve `/metrics` on this port only (and not on `port`); absent → on `port`. */
  metricsPort: number | undefined;
  /** `npm run cluster`: how many worker processes share `port`; by default one per CPU the process may use. */
  replicas: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const rateLimitPerSecond = integer(env, 'RATE_LIMIT_PER_SECOND', 200, 1, 1_000_000);
  return {
    port: integer(env, 'PORT', 8080, 0, 65_535),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisKeyPrefix: keyPrefix(env, 'REDIS_KEY_PREFIX', 'limelight'),
    policiesDir: env['POLICIES_DIR'] || 'policies',
    dataDir: env['LIMELIGHT_DATA_DIR'] || 'data',
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    modelStalenessMs: integer(env, 'MODEL_STALENESS_MS', 250, 10, 60_000),
    sweepIntervalMs: integer(env, 'SWEEP_INTERVAL_MS', 5_000, 50, 3_600_000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 65_536, 1_024, 10_485_760),
    retentionDays: integer(env, 'RETENTION_DAYS', 90, 1, 36_500),
    adminApiKey: adminApiKey(env),
    rateLimitPerSecond,
    rateLimitBurst: integer(env, 'RATE_LIMIT_BURST', 2 * rateLimitPerSecond, 1, 10_000_000),
    apiKeyCacheMs: integer(env, 'API_KEY_CACHE_MS', 5_000, 0, 300_000),
    metricsPort: env['METRICS_PORT'] ? integer(env, 'METRICS_PORT', 0, 0, 65_535) : undefined,
    replicas: integer(env, 'REPLICAS', availableParallelism(), 1, 256),
  };
}

/**
 * The bootstrap key. It is hashed with plain SHA-256 like every key, which is only safe for a key with
 * enough entropy, hence the minimum length (32 base64 characters ≈ 192 bits).
 */
function adminApiKey(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const inline = env['ADMIN_API_KEY'] || undefined;
  const file = env['ADMIN_API_KEY_FILE'] || undefined;
  if (inline !== undefined && file !== undefined) throw new ConfigError('set ADMIN_API_KEY or ADMIN_API_KEY_FILE, not both');
  let key = inline;
  if (file !== undefined) {
    try {
      key = readFileSync(file, 'utf8').trim();
    } catch {
      throw new ConfigError(`ADMIN_API_KEY_FILE cannot be read: "${file}"`);
    }
  }
  if (key === undefined) return undefined;
  const name = inline === undefined ? 'ADMIN_API_KEY_FILE' : 'ADMIN_API_KEY';
  // The value itself is never echoed: an error message ends up in logs.
  if (!/^[\x21-\x7e]{32,512}$/.test(key)) throw new ConfigError(`${name} must be 32–512 printable ASCII characters without spaces`);
  return key;
}

function integer(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  }
  return value;
}

function url(env: Readonly<Record<string, string | undefined>>, name: string, protocols: readonly string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function keyPrefix(env: Readonly<Record<string, string | undefined>>, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(raw)) throw new ConfigError(`${name} must be 1–64 letters, digits or _.:-, got "${raw}"`);
  return raw;
}

function oneOf<T extends string>(env: Readonly<Record<string, string | undefined>>, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}
