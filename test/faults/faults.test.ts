import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figures, writeFaultFigures, type ScenarioFigures } from './fault-figures.js';
import { checkLedger, compareModelsWithLog, waitUntilLearned } from './ledger-check.js';
import { LoadClient, type LoadOptions } from './load-client.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';
import { startRedisProcess, type RedisProcess } from './redis-process.js';
import { startReplica, type ReplicaEnv, type ReplicaProcess } from '../../src/replicas/replica-process.js';

/**
 * Faults under load, against a Postgres cluster and a Redis of this suite alone (spare loopback ports)
 * and replicas running as child processes. Each scenario has a database and a Redis key prefix of its
 * own. The load is bounded by request count and time; so is every wait.
 */
const ADMIN_API_KEY = randomBytes(32).toString('base64url');
const RESTORED = 'model state was lost; restored it from the decision log';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readyStatus(url: string): Promise<number> {
  return fetch(`${url}/readyz`, { headers: { authorization: `Bearer ${ADMIN_API_KEY}` }, signal: AbortSignal.timeout(3_000) }).then(
    (res) => res.status,
    () => 0,
  );
}

/** What the client saw, per phase: the message of a failed expectation. */
function outcomes(client: LoadClient): string {
  return JSON.stringify(Object.fromEntries([...client.outcomes].map(([phase, counts]) => [phase, Object.fromEntries(counts)])));
}

/** Polls `check` every 50 ms until it holds; false when `timeoutMs` passed first. */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}

describe('faults under load', () => {
  let cluster: PostgresCluster;
  let redis: RedisProcess;
  const running = new Set<ReplicaProcess>();
  const results: ScenarioFigures[] = [];

  beforeAll(async () => {
    [cluster, redis] = await Promise.all([startPostgresCluster(), startRedisProcess()]);
  });

  afterAll(async () => {
    await Promise.all([...running].map((replica) => replica.stop('SIGKILL')));
    await redis?.kill();
    await cluster?.destroy();
    if (results.length > 0) await writeFaultFigures(results);
  });

  async function replicas(scenario: string, count: number): Promise<{ env: ReplicaEnv; started: ReplicaProcess[] }> {
    const env: ReplicaEnv = {
      databaseUrl: await cluster.createDatabase(`faults_${scenario}`),
      redisUrl: redis.url,
      redisKeyPrefix: `faults-${scenario}`,
      adminApiKey: ADMIN_API_KEY,
    };
    const started = await Promise.all(Array.from({ length: count }, (_, i) => startReplica(`${scenario}-${i}`, env)));
    for (const replica of started) running.add(replica);
    return { env, started };
  }

  async function stop(replica: ReplicaProcess, signal: NodeJS.Signals) {
    const stopped = await replica.stop(signal);
    running.delete(replica);
    return stopped;
  }

  function load(targets: ReplicaProcess[], options: Partial<LoadOptions> = {}): LoadClient {
    return new LoadClient({
      targets: targets.map((replica) => replica.url),
      loopsPerTarget: 3,
      apiKey: ADMIN_API_KEY,
      maxRequests: 30_000,
      maxMs: 30_000,
      seed: 'faults',
      ...options,
    });
  }

  /** Every recorded reward learned, then every model in Redis equal to the fold over the log. */
  async function expectModelsEqualTheLog(env: ReplicaEnv): Promise<number> {
    expect(await waitUntilLearned(env.databaseUrl, 20_000)).toBe(0);
    const agreements = await compareModelsWithLog(env.databaseUrl, env.redisUrl, env.redisKeyPrefix);
    for (const agreement of agreements) {
      expect(agreement.maxRelativeDifference, agreement.model).toBeLessThanOrEqual(1e-9);
      expect(agreement.version, agreement.model).toBe(agreement.decisions);
    }
    return Math.max(0, ...agreements.map((agreement) => agreement.maxRelativeDifference));
  }

  it('loses nothing acknowledged when a replica is killed with SIGKILL mid-load', async () => {
    const { env, started } = await replicas('kill', 2);
    const [victim, survivor] = started as [ReplicaProcess, ReplicaProcess];
    const client = load(started);
    await sleep(2_500);
    client.phase = 'after kill';
    const killed = await stop(victim, 'SIGKILL');
    client.retire(victim.url);
    await sleep(2_000);
    await client.stop();

    const ledger = await checkLedger(env.databaseUrl, client);
    expect(ledger.acknowledgedDecisions, outcomes(client)).toBeGreaterThan(20);
    expect(ledger.acknowledgedRewards, outcomes(client)).toBeGreaterThan(10);
    expect(ledger.lost).toBe(0);
    expect(client.count('after kill', 'choose 200'), outcomes(client)).toBeGreaterThan(0);
    const difference = await expectModelsEqualTheLog(env);
    expect((await stop(survivor, 'SIGTERM')).code).toBe(0);
    results.push(
      figures('replica killed (SIGKILL)', client, ledger, difference, [
        `Two replicas under load; one was killed with SIGKILL (exit signal: ${killed.code === null ? 'SIGKILL' : killed.code}) after 2.5 s, the other carried on for 2 s.`,
        `Requests in flight on the killed replica failed on the client (${client.count('after kill', 'choose network') + client.count('after kill', 'reward network')} network errors after the kill) and were never acknowledged.`,
        'Rewards the killed replica had recorded but not yet learned were learned by the survivor’s sweeper, once each.',
      ]),
    );
  });

  it('keeps deciding while Redis is away and restores the lost model from the log when it returns', async () => {
    const { env, started } = await replicas('redis', 2);
    const client = load(started, { loopsPerTarget: 2 });
    await sleep(2_000);
    client.phase = 'redis away';
    await redis.kill();
    const notReady = await eventually(async () => (await Promise.all(started.map((replica) => readyStatus(replica.url)))).every((status) => status === 503), 5_000);
    await sleep(2_500);
    const logMarks = started.map((replica) => replica.logs.length);
    client.phase = 'redis back';
    await redis.start();
    const readyAgain = await eventually(async () => (await Promise.all(started.map((replica) => readyStatus(replica.url)))).every((status) => status === 200), 15_000);
    await sleep(2_000);
    await client.stop();

    expect(notReady, outcomes(client)).toBe(true);
    expect(readyAgain, outcomes(client)).toBe(true);
    // Decisions come from the in-memory snapshot: Redis being away costs /choose nothing.
    expect(client.count('redis away', 'choose 200'), outcomes(client)).toBeGreaterThan(10);
    expect([...(client.outcomes.get('redis away')?.keys() ?? [])].filter((outcome) => outcome.startsWith('choose') && outcome !== 'choose 200')).toEqual([]);
    // Rewards are recorded in Postgres and answered at once; the sweeper learns them later.
    expect(client.count('redis away', 'reward 200'), outcomes(client)).toBeGreaterThan(5);
    expect(client.slowestReward.get('redis away')).toBeLessThan(1_500);
    // Each replica kept its last snapshot: no decision during or after the outage used an older model.
    const lastBefore = new Map<string, number>();
    for (const choice of client.choices.values()) {
      if (choice.phase !== 'steady') continue;
      const key = `${choice.replica} ${choice.surface}:${choice.policy}`;
      lastBefore.set(key, Math.max(lastBefore.get(key) ?? 0, choice.modelVersion));
    }
    for (const choice of client.choices.values()) {
      if (choice.phase === 'steady') continue;
      const key = `${choice.replica} ${choice.surface}:${choice.policy}`;
      expect(choice.modelVersion, key).toBeGreaterThanOrEqual(lastBefore.get(key) ?? 0);
    }

    const ledger = await checkLedger(env.databaseUrl, client);
    expect(ledger.lost).toBe(0);
    const difference = await expectModelsEqualTheLog(env);
    // One replica restored each lost model, under the Redis lock.
    const restores = started.flatMap((replica, i) => replica.logs.slice(logMarks[i]).filter((line) => line['msg'] === RESTORED));
    const restoredModels = restores.map((line) => String(line['model']));
    expect(new Set(restoredModels).size).toBe(restoredModels.length);
    const rewardedBefore = new Set([...client.choices].filter(([id, choice]) => choice.phase === 'steady' && client.rewards.has(id)).map(([, choice]) => `${choice.surface}:${choice.policy}:`));
    for (const prefix of rewardedBefore) expect(restoredModels.some((model) => model.startsWith(prefix)), prefix).toBe(true);
    for (const replica of started) expect((await stop(replica, 'SIGTERM')).code).toBe(0);
    results.push(
      figures('Redis restarted empty', client, ledger, difference, [
        `Redis was killed after 2 s and restarted empty 2.5 s later; both replicas reported /readyz 503 while it was away.`,
        `While away: ${client.count('redis away', 'choose 200')} /choose answered 200 from the in-memory snapshots, none failed; ${client.count('redis away', 'reward 200')} rewards were recorded (slowest answer ${Math.round(client.slowestReward.get('redis away') ?? 0)} ms) and learned by the sweepers after the restore.`,
        `${restoredModels.length} models were restored from the log, each by exactly one replica (${restoredModels.join(', ')}).`,
        'No decision during or after the outage used an older model version than the replica had before it.',
      ]),
    );
  });

  it('answers 503 while Postgres is stopped, never serves an unlogged decision, and recovers by itself', async () => {
    const { env, started } = await replicas('postgres', 1);
    const [replica] = started as [ReplicaProcess];
    const client = load(started, { loopsPerTarget: 4 });
    await sleep(2_000);
    client.phase = 'postgres away';
    await cluster.stop();
    const notReady = await eventually(async () => (await readyStatus(replica.url)) === 503, 5_000);
    await sleep(2_500);
    client.phase = 'postgres back';
    const restarted = performance.now();
    await cluster.start();
    const recovered = await eventually(() => client.count('postgres back', 'choose 200') > 0, 20_000);
    const recoveryMs = performance.now() - restarted;
    const readyAgain = await eventually(async () => (await readyStatus(replica.url)) === 200, 10_000);
    await sleep(1_500);
    await client.stop();

    expect(notReady, outcomes(client)).toBe(true);
    expect(recovered, outcomes(client)).toBe(true);
    expect(readyAgain, outcomes(client)).toBe(true);
    const away = client.outcomes.get('postgres away') ?? new Map<string, number>();
    expect(away.get('choose 503 database_unavailable') ?? 0, outcomes(client)).toBeGreaterThan(10);
    // Any other outcome of /choose while the log is away would be a decision served without a row, or a crash.
    expect([...away.keys()].filter((outcome) => outcome.startsWith('choose') && !['choose 503 database_unavailable', 'choose 200'].includes(outcome))).toEqual([]);
    const ledger = await checkLedger(env.databaseUrl, client);
    expect(ledger.lost).toBe(0);
    const difference = await expectModelsEqualTheLog(env);
    expect((await stop(replica, 'SIGTERM')).code).toBe(0);
    results.push(
      figures('Postgres stopped', client, ledger, difference, [
        `Postgres was stopped (pg_ctl stop -m fast) after 2 s and started again 2.5 s later; /readyz answered 503 while it was down.`,
        `While down: ${away.get('choose 503 database_unavailable') ?? 0} /choose answered 503 database_unavailable and ${away.get('choose 200') ?? 0} answered 200 (each of those has its row: committed before the stop).`,
        `The same process served /choose again ${Math.round(recoveryMs)} ms after Postgres was started (pool, group-commit writer and sweeper recovered without a restart).`,
      ]),
    );
  });

  it('drains in-flight requests and the group-commit queue on SIGTERM and exits 0', async () => {
    const { env, started } = await replicas('sigterm', 2);
    const [draining, survivor] = started as [ReplicaProcess, ReplicaProcess];
    const client = load(started);
    await sleep(2_500);
    client.phase = 'draining';
    const stopped = await stop(draining, 'SIGTERM');
    client.retire(draining.url);
    client.phase = 'after exit';
    await sleep(1_000);
    await client.stop();

    expect(stopped.code, draining.stderr()).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
    const ledger = await checkLedger(env.databaseUrl, client);
    expect(ledger.lost).toBe(0);
    const difference = await expectModelsEqualTheLog(env);
    expect((await stop(survivor, 'SIGTERM')).code).toBe(0);
    results.push(
      figures('replica stopped (SIGTERM)', client, ledger, difference, [
        `Two replicas under load; one got SIGTERM after 2.5 s, stopped accepting, answered what it had accepted and exited ${stopped.code} after ${Math.round(stopped.ms)} ms.`,
        `Requests sent to it after it closed its port failed on the client (${client.count('draining', 'choose network') + client.count('draining', 'reward network')} network errors) and were never acknowledged.`,
      ]),
    );
  });
});
