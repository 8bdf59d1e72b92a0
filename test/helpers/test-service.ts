import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { generateApiKey } from '../../src/auth/api-key.js';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/service.js';
import { deleteKeysUnder } from '../../src/simulation/scratch-backends.js';
import { requiredInCi, requirePostgres, withAdminClient } from './test-database.js';

export type ServiceBackend = 'postgres' | 'embedded';

/** The surface files the service ships with (`home`, `browse`, `search`). */
export const SHIPPED_POLICIES_DIR = fileURLToPath(new URL('../../policies', import.meta.url));

export interface TestServiceOptions {
  backend: ServiceBackend;
  policiesDir?: string;
  now?: () => Date;
  /** Share an existing database (another replica's); it is then left in place on close. */
  databaseUrl?: string;
  /** Share an existing Redis key prefix (another replica's); its keys are then left in place on close. */
  redisPrefix?: string;
  /** Embedded only: where PGlite keeps its files; in memory by default. */
  dataDir?: string;
  /** More environment, e.g. `{ RATE_LIMIT_PER_SECOND: '1' }`; it overrides the defaults set here. */
  env?: Record<string, string>;
  /** The service's logger; silent by default. */
  logger?: Logger;
}

export interface TestService extends RunningService {
  /** Postgres backend: the service's own database, for replicas, child processes and direct reads. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisPrefix: string | undefined;
  /** The service's ADMIN_API_KEY, which has every scope. */
  adminKey: string;
  /** `Authorization: Bearer <adminKey>`, for supertest's `.set()` and fetch's `headers`. */
  authHeaders: { authorization: string };
}

/**
 * The Redis connection string of the test run. Like `requirePostgres`, a missing REDIS_URL throws in
 * CI, where the multi-replica tests must run against real Redis rather than be skipped.
 */
export function requireRedis(): string | undefined {
  return requiredInCi('REDIS_URL', 'Redis');
}

/** The backends a service test runs on, for `describe.each`: embedded always, Postgres + Redis when configured. */
export function serviceBackends(): ServiceBackend[] {
  const databaseUrl = requirePostgres();
  requireRedis();
  return databaseUrl ? ['embedded', 'postgres'] : ['embedded'];
}

/**
 * A running service on a random port with timers off (tests call `models.refresh()` and
 * `sweeper.sweep()` themselves) and a silent logger. On `postgres` it gets a fresh empty database on the
 * server of DATABASE_URL (migrated by the service itself) and a Redis key prefix of its own, both
 * removed on close unless they were passed in; on `embedded` it runs on in-memory PGlite and in-process
 * model state.
 */
export async function startTestService(options: TestServiceOptions): Promise<TestService> {
  const policiesDir = options.policiesDir ?? SHIPPED_POLICIES_DIR;
  const adminKey = generateApiKey();
  // A rate limit no test reaches unless it sets its own.
  const env: Record<string, string> = { PORT: '0', POLICIES_DIR: policiesDir, LOG_LEVEL: 'silent', ADMIN_API_KEY: adminKey, RATE_LIMIT_PER_SECOND: '1000000' };
  const cleanups: Array<() => Promise<void>> = [];
  let databaseUrl: string | undefined;
  let redisUrl: string | undefined;
  let redisPrefix: string | undefined;
  if (options.backend === 'postgres') {
    const serverUrl = requirePostgres();
    if (!serverUrl) throw new Error('the postgres backend needs DATABASE_URL');
    databaseUrl = options.databaseUrl ?? (await createEmptyDatabase(serverUrl, cleanups));
    env['DATABASE_URL'] = databaseUrl;
    redisUrl = requireRedis();
    if (redisUrl) {
      redisPrefix = options.redisPrefix ?? newRedisPrefix(redisUrl, cleanups);
      env['REDIS_URL'] = redisUrl;
      env['REDIS_KEY_PREFIX'] = redisPrefix;
    }
  } else {
    env['LIMELIGHT_DATA_DIR'] = options.dataDir ?? 'memory://';
  }
  Object.assign(env, options.env);
  let service: RunningService;
  try {
    service = await startService(loadConfig(env), {
      logger: options.logger ?? pino({ level: 'silent' }),
      timers: false,
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
  return {
    ...service,
    databaseUrl,
    redisUrl,
    redisPrefix,
    adminKey,
    authHeaders: { authorization: `Bearer ${adminKey}` },
    async close() {
      try {
        await service.close();
      } finally {
        await runCleanups(cleanups);
      }
    },
  };
}

/** A clock the test moves by hand; pass `now` to the service. */
export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
}

export function testClock(start: string): TestClock {
  let time = Date.parse(start);
  if (Number.isNaN(time)) throw new RangeError(`not a date: ${start}`);
  return {
    now: () => new Date(time),
    advance: (ms) => {
      time += ms;
    },
  };
}

/** Deletes every key under a prefix (SCAN, never KEYS, which would block a shared Redis). */
export { deleteKeysUnder as deleteRedisKeys };

/** Attribution window of the `test` surface written by `testPolicies`. */
export const TEST_WINDOW_MS = 60_000;

/**
 * Writes `test.yaml` into `dir`: a small surface whose behaviour tests can reason about. Three arms,
 * two features (`x` numeric without a default, `segment` categorical with one), a binary reward with a
 * 60 s window and default 0, per-request randomization, and three policy arms: LinUCB (share 0.5,
 * α 0.5, ε 0.1), LinTS (0.3, ε 0.1, 200 draws) and uniform (0.2).
 * @returns `dir`, to pass as `policiesDir`.
 */
export async function testPolicies(dir: string): Promise<string> {
  const surface = `id: test
name: Test surface
randomization: request
arms:
  - { id: arm-a, kind: music }
  - { id: arm-b, kind: podcast }
  - { id: arm-c, kind: video }
features:
  - { name: x, type: numeric }
  - { name: segment, type: categorical, levels: [new, returning], default: new }
reward:
  type: binary
  attributionWindowSeconds: ${TEST_WINDOW_MS / 1000}
  default: 0
policyArms:
  - { id: linucb, share: 0.5, learner: { kind: linucb, alpha: 0.5, epsilon: 0.1 } }
  - { id: lints, share: 0.3, learner: { kind: lints, v: 0.25, epsilon: 0.1, draws: 200 } }
  - { id: control, share: 0.2, learner: { kind: uniform } }
`;
  await writeFile(join(dir, 'test.yaml'), surface);
  return dir;
}

/** Σ over a surface's models of their version in the model store: grows by one per learned decision. */
export async function surfaceModelVersions(service: RunningService, surface: string): Promise<number> {
  const versions = await Promise.all(
    service.models.all().filter((model) => model.surface.config.id === surface).map((model) => service.modelStore.version(model.key)),
  );
  return versions.reduce((sum, version) => sum + version, 0);
}

async function createEmptyDatabase(serverUrl: string, cleanups: Array<() => Promise<void>>): Promise<string> {
  const name = `limelight_svc_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  // Registered first, so it runs after the Redis cleanup; FORCE ends connections a failed start left open.
  cleanups.push(async () => {
    await withAdminClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function newRedisPrefix(redisUrl: string, cleanups: Array<() => Promise<void>>): string {
  const prefix = `limelight-test:${randomUUID().slice(0, 8)}`;
  cleanups.push(() => deleteKeysUnder(redisUrl, prefix));
  return prefix;
}

/** In reverse order of registration: the Redis keys go first, the database last. */
async function runCleanups(cleanups: Array<() => Promise<void>>): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) await cleanup();
}
