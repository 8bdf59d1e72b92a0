/**
 * How `POST /choose` throughput scales from one to two service processes on one machine
 * (`npm run bench:cluster`, needs DATABASE_URL and REDIS_URL): `npm run cluster` (`src/cluster.ts`) with
 * REPLICAS=1 and with REPLICAS=2, and as the baseline a single `src/main.ts` without a cluster primary,
 * under the load of `npm run bench:http` — the `home-wide` surface of `bench/policies/` (d = 16, 20 arms,
 * LinUCB and LinTS), real Postgres and Redis, durable logging — at full speed in a closed loop.
 *
 * Nothing is pinned: the workers, the load generator (autocannon, in this process), Postgres and Redis
 * share the machine's CPUs, as they would not in production. The three targets run side by side and are
 * measured in alternating rounds (A B C, then C B A), so drift in the machine's other load falls on all
 * of them; each round also records how busy the whole machine was, the load generator's own share, and
 * (on Linux, from /proc) the CPU time of the service processes and of the Postgres backends serving
 * their database, per decision.
 * The database `limelight_bench_cluster` and the run's Redis keys are removed at the end.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startReplica, type ReplicaEnv, type ReplicaProcess } from '../src/replicas/replica-process.js';
import { createScratchBackends } from '../src/simulation/scratch-backends.js';
import { chooseBodies } from './http/contexts.js';
import { closedLoop, type LoadTarget, type Measurement } from './http/load.js';
import { markdownTable, resultsHeader, writeResults } from './results-file.js';

const DATABASE = 'limelight_bench_cluster';
const CONNECTIONS = 64;
const WARMUP_S = 3;
const RUN_S = 8;
const ROUNDS = 2;
const CONTEXTS = 1000;

interface Target {
  name: string;
  entry: string;
  replicas: number;
}

const TARGETS: Target[] = [
  { name: 'one process (src/main.ts)', entry: 'src/main.ts', replicas: 1 },
  { name: 'cluster, REPLICAS=1', entry: 'src/cluster.ts', replicas: 1 },
  { name: 'cluster, REPLICAS=2', entry: 'src/cluster.ts', replicas: 2 },
];

interface Round {
  target: Target;
  round: number;
  load: Measurement;
  /** Share of the machine's CPU time that was busy during the run, and the share this process used. */
  machineBusy: number;
  loadGenerator: number;
  /** CPU ms per decision of the service processes (primary and workers) and of their Postgres backends; NaN without /proc. */
  serviceCpuMs: number;
  postgresCpuMs: number;
}

const config = loadConfig();
if (!config.databaseUrl || !config.redisUrl) throw new Error('bench:cluster needs DATABASE_URL (Postgres) and REDIS_URL (Redis)');
const serverUrl = config.databaseUrl;
const credentials = Object.assign(new URL(serverUrl), { password: '' });
const header = resultsHeader('Throughput of POST /choose from one to two service processes', `DATABASE_URL=${credentials.toString()} REDIS_URL=${config.redisUrl} npm run bench:cluster`);
const loadBefore = loadavg();
const scratch = await createScratchBackends(serverUrl, config.redisUrl, DATABASE);
const { databaseUrl, redisUrl, redisKeyPrefix } = scratch;
const replicaEnv: ReplicaEnv = { databaseUrl, redisUrl, redisKeyPrefix, adminApiKey: randomBytes(32).toString('base64url') };
const bodies = chooseBodies(CONTEXTS);
const choose = (url: string): LoadTarget => ({
  url,
  path: '/choose',
  headers: { authorization: `Bearer ${replicaEnv.adminApiKey}`, 'content-type': 'application/json' },
  bodies,
});

const running: ReplicaProcess[] = [];
const monitor = new pg.Client({ connectionString: serverUrl });
await monitor.connect();
try {
  // One at a time: concurrent first starts would race to migrate the empty database (an advisory lock
  // serialises them, but the wait would count against the start-up timeout).
  for (const target of TARGETS) running.push(await start(target));
  for (const [i, target] of TARGETS.entries()) {
    console.log(`${target.name}: warm-up`);
    await closedLoop(choose(running[i]!.url), WARMUP_S, CONNECTIONS);
  }
  const rounds: Round[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? TARGETS : [...TARGETS].reverse();
    for (const target of order) {
      console.log(`round ${round}, ${target.name}: full speed`);
      rounds.push({ target, round, ...(await measure(running[TARGETS.indexOf(target)]!)) });
    }
  }
  await writeResults('cluster.md', report(rounds));
} finally {
  await monitor.end();
  await Promise.all(running.map((replica) => replica.stop('SIGTERM')));
  await scratch.remove();
}

/** The target's processes, with the service's own defaults for model staleness and the sweep. */
async function start(target: Target): Promise<ReplicaProcess> {
  const replica = await startReplica(target.name, replicaEnv, {
    entry: target.entry,
    env: { POLICIES_DIR: 'bench/policies', LOG_LEVEL: 'info', MODEL_STALENESS_MS: '250', SWEEP_INTERVAL_MS: '5000', REPLICAS: String(target.replicas) },
  });
  // /healthz answers once one worker listens; a cluster is measured with all of them.
  const deadline = Date.now() + 60_000;
  while (replica.logs.filter((line) => line['msg'] === 'limelight is listening').length < target.replicas) {
    if (Date.now() > deadline) throw new Error(`${target.name}: ${target.replicas} workers did not all listen within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return replica;
}

/** A full-speed run, with the machine's busy share (from every CPU's times), this process's share and CPU per decision. */
async function measure(replica: ReplicaProcess): Promise<Omit<Round, 'target' | 'round'>> {
  // For src/main.ts the listening process is the child itself.
  const servicePids = [...new Set([replica.child.pid!, ...replica.logs.filter((line) => line['msg'] === 'limelight is listening').map((line) => Number(line['pid']))])];
  const machineBefore = cpuTimes();
  const selfBefore = process.cpuUsage();
  const serviceBefore = processCpuMs(servicePids);
  const postgresBefore = processCpuMs(await backendPids());
  const started = performance.now();
  const load = await closedLoop(choose(replica.url), RUN_S, CONNECTIONS);
  const elapsedMs = performance.now() - started;
  const machineAfter = cpuTimes();
  const self = process.cpuUsage(selfBefore);
  // Pools open connections as the load starts and close idle ones: a backend that started during the
  // run counts its whole life, one that ended during it counts nothing.
  const postgresAfter = processCpuMs(await backendPids());
  const total = machineAfter.total - machineBefore.total;
  const decisions = load.rps * (elapsedMs / 1000);
  return {
    load,
    machineBusy: 1 - (machineAfter.idle - machineBefore.idle) / total,
    loadGenerator: (self.user + self.system) / 1000 / (elapsedMs * availableParallelism()),
    serviceCpuMs: cpuDelta(serviceBefore, processCpuMs(servicePids)) / decisions,
    postgresCpuMs: cpuDelta(postgresBefore, postgresAfter) / decisions,
  };
}

async function backendPids(): Promise<number[]> {
  const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [DATABASE]);
  return rows.map((row) => row.pid);
}

/** CPU ms spent between two readings, over the processes alive at the second. */
function cpuDelta(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let ms = 0;
  for (const [pid, total] of after) ms += total - (before.get(pid) ?? 0);
  return ms;
}

/**
 * User + system CPU ms of each process so far, from /proc/<pid>/stat (fields 14 and 15, in clock ticks
 * of 10 ms); a process that has exited is left out. Without /proc, every process reads NaN.
 */
function processCpuMs(pids: readonly number[]): Map<number, number> {
  const times = new Map<number, number>();
  for (const pid of pids) {
    if (!existsSync('/proc/self/stat')) {
      times.set(pid, Number.NaN);
      continue;
    }
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name, which may contain spaces, start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    times.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
  }
  return times;
}

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

function report(rounds: Round[]): string {
  const percent = (share: number) => `${(100 * share).toFixed(0)} %`;
  const meanRps = (target: Target) => {
    const own = rounds.filter((round) => round.target === target);
    return own.reduce((sum, round) => sum + round.load.rps, 0) / own.length;
  };
  const [single, one, two] = TARGETS as [Target, Target, Target];
  const ratioPerRound = Array.from({ length: ROUNDS }, (_, i) => {
    const rps = (target: Target) => rounds.find((round) => round.target === target && round.round === i + 1)!.load.rps;
    return rps(two) / rps(one);
  });
  return [
    header,
    `- load average before the run: ${loadBefore.map((value) => value.toFixed(2)).join(', ')} (1, 5, 15 min) on ${availableParallelism()} CPUs${
      loadBefore[0]! > 0.5 ? ': other work was running, so throughputs are lower bounds' : ''
    }`,
    '- pinning: none — the workers, the load generator, Postgres and Redis all share the CPUs',
    `- load: autocannon 8, ${CONNECTIONS} connections, no pipelining, closed loop at full speed, ${RUN_S} s per run after a ${WARMUP_S} s warm-up per target; ${ROUNDS} rounds in alternating order; each request takes the next of ${CONTEXTS} pre-generated contexts (seeded), units cycling over 500 listeners`,
    '',
    'The targets: `node --import tsx src/main.ts` (no cluster primary), and `node --import tsx src/cluster.ts` with REPLICAS=1 and REPLICAS=2 — real Postgres (one database of their own, dropped after) and Redis (a key prefix of their own, deleted after), `Authorization: Bearer` with ADMIN_API_KEY, surface `home-wide` from `bench/policies/` (d = 16, 20 arms, LinUCB and LinTS 50/50, ε = 0.05, no campaign arms), every decision answered after the group commit of its log row — the same service as `bench/results/http.md` measures.',
    '',
    markdownTable(
      ['target', 'round', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'machine CPU busy', 'load generator CPU', 'service CPU ms / decision', 'Postgres backends CPU ms / decision'],
      [false, true, true, true, true, true, true, true, true, true, true],
      rounds.map(({ target, round, load, machineBusy, loadGenerator, serviceCpuMs, postgresCpuMs }) => [
        target.name,
        String(round),
        load.rps.toFixed(0),
        load.p50.toFixed(2),
        load.p99.toFixed(2),
        String(load.non2xx),
        String(load.errors),
        percent(machineBusy),
        percent(loadGenerator),
        serviceCpuMs.toFixed(3),
        postgresCpuMs.toFixed(3),
      ]),
    ),
    '',
    `Mean over the rounds: one process ${meanRps(single).toFixed(0)} req/s, cluster REPLICAS=1 ${meanRps(one).toFixed(0)} req/s (${(meanRps(one) / meanRps(single)).toFixed(2)} × one process: the primary only hands over connections, which keep-alive makes rare, so a difference from 1 is the machine's noise), REPLICAS=2 ${meanRps(two).toFixed(0)} req/s.`,
    '',
    `**Scaling, REPLICAS=2 over REPLICAS=1: ${(meanRps(two) / meanRps(one)).toFixed(2)} ×** (per round: ${ratioPerRound.map((ratio) => ratio.toFixed(2)).join(', ')}).`,
    '',
    `Machine CPU busy is the share of all ${availableParallelism()} CPUs' time not idle during the run (from \`os.cpus()\`), load generator CPU the share this process used. CPU ms per decision: user + system time from \`/proc/<pid>/stat\` of the service processes (the primary and its workers), and of the Postgres backends connected to the benchmark's database (Postgres' shared WAL writer and checkpointer are not included), over the decisions of the run. On a machine of ${availableParallelism()} CPUs the second worker has no CPU of its own: it competes with the first, with Postgres (group commits), Redis (model refreshes) and the load generator, so the ratio here is a lower bound on what a replica per core gives where the database and the load run elsewhere; the per-replica figure for capacity planning is the pinned one in \`bench/results/http.md\`.`,
  ].join('\n');
}
