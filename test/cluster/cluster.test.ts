import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplica, type ReplicaEnv, type ReplicaProcess } from '../../src/replicas/replica-process.js';
import { requirePostgres, withAdminClient } from '../helpers/test-database.js';
import { deleteRedisKeys, requireRedis } from '../helpers/test-service.js';

/**
 * `src/cluster.ts` as `npm run cluster` runs it: a primary process forking service workers that share one
 * port, one Postgres database and one Redis key prefix. Without DATABASE_URL and REDIS_URL the tests
 * that need them are skipped locally; in CI both helpers throw.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = 'limelight is listening';
const CHOOSE = JSON.stringify({ surface: 'home', unit: 'listener-1', context: { hour_of_day: 20, device: 'android' } });

describe('npm run cluster refuses to start', () => {
  const unreachable = { DATABASE_URL: 'postgres://127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' };
  it.each([
    ['without DATABASE_URL', { ...unreachable, DATABASE_URL: '' }, 'limelight: npm run cluster needs DATABASE_URL (Postgres) and REDIS_URL (Redis), which every worker shares'],
    ['without REDIS_URL', { ...unreachable, REDIS_URL: '' }, 'limelight: npm run cluster needs DATABASE_URL (Postgres) and REDIS_URL (Redis), which every worker shares'],
    ['with REPLICAS=0', { ...unreachable, REPLICAS: '0' }, 'limelight: REPLICAS must be an integer in [1, 256], got "0"'],
    ['with REPLICAS=two', { ...unreachable, REPLICAS: 'two' }, 'limelight: REPLICAS must be an integer in [1, 256], got "two"'],
  ])('%s: exit code 2 and one line saying why', (_case, env, message) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cluster.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(message);
    expect(run.stdout).toBe('');
  });
});

const shared = requirePostgres() !== undefined && requireRedis() !== undefined;

describe.runIf(shared)('npm run cluster with REPLICAS=2', () => {
  const serverUrl = requirePostgres()!;
  const database = `limelight_cluster_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const env: ReplicaEnv = {
    databaseUrl: Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString(),
    redisUrl: requireRedis()!,
    redisKeyPrefix: `limelight-test:${randomUUID().slice(0, 8)}`,
    adminApiKey: randomBytes(32).toString('base64url'),
  };
  let primary: ReplicaProcess;

  beforeAll(async () => {
    await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${database}`));
    primary = await startReplica('cluster', env, { entry: 'src/cluster.ts', env: { REPLICAS: '2', LOG_LEVEL: 'info' } });
    // The primary answers /healthz as soon as one worker listens; the test needs both.
    await until(() => listeningPids().length === 2, 30_000);
  });

  afterAll(async () => {
    // A primary that dies takes its workers with it: they exit when its IPC channel closes.
    await primary?.stop('SIGKILL');
    await withAdminClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    await deleteRedisKeys(env.redisUrl, env.redisKeyPrefix);
  });

  /** The pids of the workers that said they listen, from their log lines on the primary's stdout. */
  function listeningPids(): number[] {
    return primary.logs.filter((line) => line['msg'] === LISTENING).map((line) => Number(line['pid']));
  }

  /** One client, one connection: the /healthz answer names the worker that serves the /choose after it. */
  async function servedBy(): Promise<{ pid: number; decisionId: string }> {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const health = await send(agent, 'GET', '/healthz');
      const choice = await send(agent, 'POST', '/choose', CHOOSE);
      expect(choice.status).toBe(200);
      return { pid: Number(String(health.body['replica']).split(':').at(-1)), decisionId: String(choice.body['decisionId']) };
    } finally {
      agent.destroy();
    }
  }

  function send(agent: Agent, method: string, path: string, body?: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const { hostname, port } = new URL(primary.url);
    const headers = { authorization: `Bearer ${env.adminApiKey}`, 'content-type': 'application/json' };
    return new Promise((resolve, reject) => {
      const req = request({ agent, hostname, port, path, method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('hands connections to both workers in turn, and each decides', async () => {
    const served = [];
    // One connection at a time: round-robin then alternates between the two workers.
    for (let i = 0; i < 6; i++) served.push(await servedBy());
    expect(new Set(served.map(({ pid }) => pid))).toEqual(new Set(listeningPids()));
  });

  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const [victim, survivor] = listeningPids() as [number, number];
    process.kill(victim, 'SIGKILL');
    await until(() => listeningPids().length === 3, 30_000);
    const crash = primary.logs.find((line) => line['msg'] === 'replica exited unexpectedly; starting another');
    expect(crash).toMatchObject({ worker: victim, signal: 'SIGKILL', restartInMs: 100 });
    const replacement = listeningPids()[2]!;
    const served = [];
    for (let i = 0; i < 6; i++) served.push(await servedBy());
    expect(new Set(served.map(({ pid }) => pid))).toEqual(new Set([survivor, replacement]));
  });

  it('drains every worker on SIGTERM and exits 0, with every acknowledged decision in Postgres', async () => {
    const acknowledged: string[] = [];
    let stopped = false;
    // Eight clients keep deciding until the cluster stops answering; a request cut by the shutdown was
    // never acknowledged, so it may or may not be in the log.
    const clients = Array.from({ length: 8 }, async () => {
      while (!stopped) {
        const answer = await servedBy().catch(() => undefined);
        if (answer) acknowledged.push(answer.decisionId);
        else return;
      }
    });
    await until(() => acknowledged.length >= 50, 30_000);
    const { code } = await primary.stop('SIGTERM');
    stopped = true;
    await Promise.all(clients);
    expect(code).toBe(0);
    expect(primary.logs.filter((line) => line['msg'] === 'draining')).toHaveLength(2);
    const client = new pg.Client({ connectionString: env.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ logged: number }>('SELECT count(*)::int AS logged FROM decisions WHERE id = ANY($1::uuid[])', [acknowledged]);
      expect(rows[0]!.logged).toBe(acknowledged.length);
    } finally {
      await client.end();
    }
  });
});

/** Polls `check` every 50 ms; throws when `timeoutMs` passed first. */
async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
