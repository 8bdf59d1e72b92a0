import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChooseResponse } from '../../src/api/api-types.js';
import { maxRelativeDifference } from '../../src/model-state/rebuild-model.js';
import type { ModelSnapshot } from '../../src/model-state/model-state-store.js';
import { seededRandom } from '../../src/stats/random.js';
import { requirePostgres } from '../helpers/test-database.js';
import { requireRedis, SHIPPED_POLICIES_DIR, startTestService, testClock, type TestService } from '../helpers/test-service.js';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEVICES = ['ios', 'android', 'web', 'desktop', 'tv'];
const INTENTS = ['artist', 'track', 'podcast', 'audiobook', 'genre', 'mood', 'unknown'];
const DAY_MS = 86_400_000;

interface RebuildRow {
  model: string;
  decisions: number;
  liveVersion: number;
  maxRelativeDifference: number;
}

/**
 * Decisions and rewards on `home` (binary) and `search` (continuous), some observed, some defaulted by
 * the sweeper, some deferred (activated or not), with rewards from seeded generators. Sent 20 at a time.
 * @returns how many decisions each policy arm should have folded into its model: rewarded and learnable.
 */
async function driveTraffic(service: TestService, clock: { advance(ms: number): void }, scale: number): Promise<Map<string, number>> {
  const learnable = new Map<string, number>();
  const surfaces = [
    { id: 'home', count: 2 * scale, reward: (u: number) => (u < 0.3 ? 1 : 0), context: (i: number) => ({ hour_of_day: i % 24, device: DEVICES[i % 5]!, premium: i % 3 === 0 }) },
    { id: 'search', count: scale, reward: (u: number) => Math.round(u * 1000) / 1000, context: (i: number) => ({ query_length: 3 + (i % 17), hour_of_day: (5 * i) % 24, query_intent: INTENTS[i % 7]! }) },
  ];
  async function decide(surface: (typeof surfaces)[number], i: number): Promise<void> {
    const random = seededRandom(`rebuild-traffic:${surface.id}:${i}`);
    const defer = i % 10 === 9;
    const body = { surface: surface.id, unit: `listener-${i}`, context: surface.context(i), ...(defer ? { defer } : {}) };
    const choice = (await request(service.url).post('/choose').set(service.authHeaders).send(body).expect(200)).body as ChooseResponse;
    if (random() < 0.6) await request(service.url).post('/reward').set(service.authHeaders).send({ decisionId: choice.decisionId, reward: surface.reward(random()) }).expect(200);
    // Every other deferred decision is activated; the rest never count, and get no default either.
    const activated = defer && i % 20 === 19;
    if (activated) await request(service.url).post(`/decisions/${choice.decisionId}/activate`).set(service.authHeaders).expect(200);
    const key = `${surface.id}:${choice.policy}`;
    if (!defer || activated) learnable.set(key, (learnable.get(key) ?? 0) + 1);
  }
  for (const surface of surfaces) {
    for (let start = 0; start < surface.count; start += 20) {
      const batch = Array.from({ length: Math.min(20, surface.count - start) }, (_, k) => decide(surface, start + k));
      await Promise.all(batch);
    }
  }
  clock.advance(DAY_MS + 1);
  const { defaulted } = await service.sweeper.sweep();
  expect(defaulted).toBeGreaterThan(0);
  return learnable;
}

const shared = requirePostgres() !== undefined && requireRedis() !== undefined;

describe.runIf(shared)('npm run rebuild against the live Postgres and Redis', () => {
  const clock = testClock('2026-06-01T12:00:00.000Z');
  let service: TestService;
  let expected: Map<string, number>;
  beforeAll(async () => {
    service = await startTestService({ backend: 'postgres', now: clock.now });
    expected = await driveTraffic(service, clock, 100);
  });
  afterAll(() => service?.close());

  async function rebuild(...args: string[]): Promise<{ code: number; rows: RebuildRow[] }> {
    const env = {
      ...process.env,
      DATABASE_URL: service.databaseUrl,
      REDIS_URL: service.redisUrl,
      REDIS_KEY_PREFIX: service.redisPrefix,
      POLICIES_DIR: SHIPPED_POLICIES_DIR,
    };
    // `npx tsx src/cli/rebuild.ts`, without npx's start-up cost.
    const command = ['--import', 'tsx', 'src/cli/rebuild.ts', ...args, '--format', 'json'];
    const run = promisify(execFile)(process.execPath, command, { cwd: PROJECT_ROOT, env });
    const { stdout, code } = await run.then(
      ({ stdout }) => ({ stdout, code: 0 }),
      (error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }),
    );
    return { code, rows: JSON.parse(stdout) as RebuildRow[] };
  }

  function expectAgreement(surface: string, rows: RebuildRow[]) {
    const policies = rows.map((row) => row.model.split(':')[1]!);
    expect(policies.sort()).toEqual(['control', 'lints', 'linucb']);
    for (const row of rows) {
      expect(row.decisions).toBe(expected.get(`${surface}:${row.model.split(':')[1]}`));
      expect(row.maxRelativeDifference).toBeLessThanOrEqual(1e-9);
    }
  }

  it.each(['home', 'search'])('finds the %s models in Redis equal to the log rebuilt', async (surface) => {
    const { code, rows } = await rebuild('--surface', surface);
    expect(code).toBe(0);
    expectAgreement(surface, rows);
    // Nothing was replaced, so every learned decision is one increment of the live version.
    for (const row of rows) expect(row.liveVersion).toBe(row.decisions);
  });

  it('fails when Redis lost a model, and --write restores it from the log', async () => {
    const model = service.models.get('home', 'linucb');
    const redis = new Redis(service.redisUrl!);
    try {
      expect(await redis.del(`${service.redisPrefix}:{${model.key}}:statistics`)).toBe(1);
    } finally {
      await redis.quit();
    }
    const broken = await rebuild('--surface', 'home');
    expect(broken.code).toBe(1);
    expect(broken.rows.find((row) => row.model === model.key)?.maxRelativeDifference).toBe(1);

    expect((await rebuild('--surface', 'home', '--write')).code).toBe(0);
    const repaired = await rebuild('--surface', 'home');
    expect(repaired.code).toBe(0);
    expectAgreement('home', repaired.rows);
    // The folded decisions are marked learned: the sweeper does not apply them a second time.
    expect(await service.sweeper.sweep()).toEqual({ defaulted: 0, retried: 0 });
  });
});

describe('the embedded service across a restart', () => {
  const clock = testClock('2026-06-01T12:00:00.000Z');
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'limelight-restart-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  async function readModels(service: TestService): Promise<Map<string, ModelSnapshot>> {
    const models = service.models.all().filter((model) => model.surface.config.id !== 'browse');
    return new Map(await Promise.all(models.map(async (model) => [model.key, await service.modelStore.read(model.key, model.policy.learner.statisticsLength)] as const)));
  }

  it('rebuilds its in-process model from the log at start-up', async () => {
    const first = await startTestService({ backend: 'embedded', dataDir, now: clock.now });
    let before: Map<string, ModelSnapshot>;
    try {
      await driveTraffic(first, clock, 15);
      before = await readModels(first);
      expect([...before.values()].some((snapshot) => snapshot.arms.size > 0)).toBe(true);
    } finally {
      await first.close();
    }
    const second = await startTestService({ backend: 'embedded', dataDir, now: clock.now });
    try {
      const after = await readModels(second);
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [key, snapshot] of after) {
        expect([...snapshot.arms.keys()].sort()).toEqual([...before.get(key)!.arms.keys()].sort());
        // The log folds in (decidedAt, id) order, the live model in reward order: sums agree to rounding.
        expect(maxRelativeDifference(snapshot.arms, before.get(key)!.arms)).toBeLessThanOrEqual(1e-12);
        // Decisions log the model version as the state they were made from (openapi.yaml, ModelVersion:
        // "number of updates the model had absorbed"); a restart must not reuse a version for other state.
        expect(snapshot.version, key).toBeGreaterThanOrEqual(before.get(key)!.version);
      }
      expect(await second.sweeper.sweep()).toEqual({ defaulted: 0, retried: 0 });
    } finally {
      await second.close();
    }
  });
});
