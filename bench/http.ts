/**
 * HTTP throughput and latency of `POST /choose` (`npm run bench:http`, needs DATABASE_URL and
 * REDIS_URL): the service as deployed — real Postgres and Redis, ADMIN_API_KEY as a Bearer key, durable
 * logging (a decision is answered after its group commit) — on the `home-wide` surface of
 * `bench/policies/` (d = 16, 20 arms, LinUCB and LinTS 50/50 with ε = 0.05, no campaign counters),
 * against the framework's ceiling: a bare Express 5 handler answering a constant JSON body.
 *
 * Each server runs in a child process and the load generator runs here, so it never shares the server's
 * event loop; with `taskset` and two CPUs or more, the servers are pinned to CPU 0 and this process to
 * CPU 1. Every run is bounded in time: a warm-up per target, rounds of closed-loop runs at full speed
 * (the maximum, each target's median), the service and the ceiling at full speed at once on one CPU (CPU
 * time per request), then rounds of evenly paced open-loop runs at the service's half maximum, each
 * measured after a few unmeasured seconds at that rate (the service, the same service with commits that
 * do not wait for the WAL flush as a diagnostic, bare Express and bare Node.js http given the same
 * arrivals; each target's median p99), with
 * the service's own histograms and its process's CPU time read around them (against its CPU time in the full-speed rounds), and bare Express at its own half maximum; then the same three
 * targets at lower fractions of the service's maximum (p99 against offered load, the service's CPU at each); then a fresh service under `--cpu-prof` takes the full-speed load
 * once more, and the profile (written to a temporary directory) is summarised by self time. The database `limelight_bench_http` and the Redis keys under that prefix are removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../src/config.js';
import { canPin, startReplica, type ReplicaEnv, type ReplicaProcess } from '../src/replicas/replica-process.js';
import { createScratchBackends } from '../src/simulation/scratch-backends.js';
import { chooseBodies } from './http/contexts.js';
import { commitLatency } from './http/commit-latency.js';
import { difference, readHistograms, sharesWithin, type HistogramReading } from './http/service-histograms.js';
import { sharedCpuRun, tallyCpu, type CpuTally, type SharedRun } from './http/cpu-per-request.js';
import { highestLoadWithin, sweepLatency, type SweepPoint } from './http/latency-sweep.js';
import { closedLoop, openLoop, type LoadTarget, type Measurement } from './http/load.js';
import { summariseProfile, type ProfileFrame } from './http/profile.js';
import { markdownTable, resultsHeader, writeResults } from './results-file.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATABASE = 'limelight_bench_http';
const CONNECTIONS = 64;
const WARMUP_S = 3;
const RUN_S = 10;
/**
 * Full-speed runs of the three targets, in turn: the machine's speed drifts by tens of percent from
 * minute to minute, so each target's figure is its median over rounds, and each round's ratio to the
 * ceiling is taken between runs a few seconds apart.
 */
const ROUNDS = 3;
/** Rounds at the service's half load, whose tail varies from run to run more than any throughput does. */
const HALF_ROUNDS = 5;
/**
 * Seconds of the same paced arrivals before each half-load run's measured ones, whose latencies are
 * not kept: each target has idled through the others' runs, and the first seconds after idling held
 * most of a run's slow answers (ad hoc, per-second counts of answers over 10 ms).
 */
const HALF_WARMUP_S = 2;
/**
 * Lower offered loads, as fractions of the service's maximum, at which the sweep measures the same
 * targets as the half-load rounds (which give its last point), in rounds of their own.
 */
const SWEEP_FRACTIONS = [0.1, 0.2, 0.3, 0.4];
const SWEEP_ROUNDS = 2;
/** The issue's latency target at half load, which the sweep reports as the highest load that meets it. */
const P99_TARGET_MS = 10;
const CONTEXTS = 1000;
const LINUCB_ONLY = 'home-wide-linucb';
/** Bounds (s) of the service's duration histograms at which the half-load run reports their shares. */
const SERVER_BOUNDS_S = ['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05'];
/** What the half-load run reads from the service's `/metrics` before and after: its time, its commits, its GC pauses. */
const HISTOGRAMS = ['limelight_decision_duration_seconds', 'limelight_decision_log_batch_seconds', 'limelight_decision_log_batch_rows', 'nodejs_gc_duration_seconds'];
/** The files of LinTS's sampled distribution, whose share of the profile the report adds up. */
const LINTS_FILES = ['src/learners/lin-ts.ts', 'src/stats/normal-source.ts'];

const config = loadConfig();
if (!config.databaseUrl || !config.redisUrl) throw new Error('bench:http needs DATABASE_URL (Postgres) and REDIS_URL (Redis)');
const serverUrl = config.databaseUrl;
const credentials = new URL(serverUrl);
credentials.password = '';
// Before the pinning, which would make this process see one CPU.
const header = resultsHeader('HTTP throughput and latency of POST /choose', `DATABASE_URL=${credentials.toString()} REDIS_URL=${config.redisUrl} npm run bench:http`);
const cpuCount = availableParallelism();
const loadBefore = loadavg();
// Every thread of this process, V8's own included: pinning the main thread alone left its garbage collector's
// threads free to run on CPU 0, where a scheduler trace caught them taking the service's CPU for milliseconds.
const pinned = canPin() && spawnSync('taskset', ['-apc', '1', String(process.pid)]).status === 0;
const scratch = await createScratchBackends(serverUrl, config.redisUrl, DATABASE);
const { databaseUrl, redisUrl, redisKeyPrefix } = scratch;
const replicaEnv: ReplicaEnv = { databaseUrl, redisUrl, redisKeyPrefix, adminApiKey: randomBytes(32).toString('base64url') };
const headers = { authorization: `Bearer ${replicaEnv.adminApiKey}`, 'content-type': 'application/json' };
/** The request pools, made once: every run of a surface sends the same bodies in the same order. */
const bodies = new Map(['home-wide', LINUCB_ONLY].map((surface) => [surface, chooseBodies(CONTEXTS, 'bench-http', surface)]));
const choose = (url: string, surface = 'home-wide'): LoadTarget => ({ url, path: '/choose', headers, bodies: bodies.get(surface)! });
const policiesDir = await benchPolicies();

const running = new Set<ReplicaProcess>();
try {
  const service = await start('service', 'src/main.ts');
  const bare = await start('bare Express', 'bench/http/bare-express.ts');
  const bareNode = await start('bare Node.js', 'bench/http/bare-node.ts');
  // A diagnostic, never how the service runs: its commits return before Postgres flushes the WAL to disk.
  const unflushed = await start('service, WAL flush not awaited', 'src/main.ts', [], { PGOPTIONS: '-c synchronous_commit=off' });
  await checkChoose(choose(service.url));
  console.log('Postgres: one-row commits, back to back');
  const commits = await commitLatency(databaseUrl, 5);

  const targets = { service: choose(service.url), linUcb: choose(service.url, LINUCB_ONLY), bare: choose(bare.url) };
  for (const [name, target] of Object.entries({ ...targets, unflushed: choose(unflushed.url) })) {
    console.log(`${name}: warm-up`);
    await closedLoop(target, WARMUP_S, CONNECTIONS);
  }
  const rounds: Array<Record<keyof typeof targets, Measurement>> = [];
  // The service process's own CPU over its runs at full speed and at half load (`/proc`).
  const serviceCpu: Record<'full' | 'half', CpuTally> = { full: { cpuSeconds: 0, wallSeconds: 0 }, half: { cpuSeconds: 0, wallSeconds: 0 } };
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round} of ${ROUNDS}: service, LinUCB only, bare Express at full speed`);
    rounds.push({
      service: await tallyCpu(service.child.pid!, serviceCpu.full, () => closedLoop(targets.service, RUN_S, CONNECTIONS)),
      linUcb: await closedLoop(targets.linUcb, RUN_S, CONNECTIONS),
      bare: await closedLoop(targets.bare, RUN_S, CONNECTIONS),
    });
  }
  console.log('service and bare Express at once on one CPU: CPU time per request');
  const shared = {
    service: await sharedCpuRun([{ pid: service.child.pid!, target: targets.service }, { pid: bare.child.pid!, target: targets.bare }], RUN_S, CONNECTIONS / 2),
    linUcb: await sharedCpuRun([{ pid: service.child.pid!, target: targets.linUcb }, { pid: bare.child.pid!, target: targets.bare }], RUN_S, CONNECTIONS / 2),
  };
  const serviceMax = medianRun(rounds.map((round) => round.service));
  const linUcbMax = medianRun(rounds.map((round) => round.linUcb));
  const bareMax = medianRun(rounds.map((round) => round.bare));
  console.log('both at half their maximum, evenly paced');
  const serviceHalfRate = Math.round(serviceMax.rps / 2);
  const before = await readHistograms(service.url, headers, HISTOGRAMS);
  const halfRounds: HalfRound[] = [];
  for (let round = 1; round <= HALF_ROUNDS; round++) {
    console.log(`round ${round} of ${HALF_ROUNDS} at the service's half load: service, service without awaiting the WAL flush, bare Express, bare Node.js http`);
    // The same arrivals for all four: what the disk's flush adds to the service's tail, and what this machine
    // and generator give a handler that does nothing, through Express or not.
    halfRounds.push({
      service: await tallyCpu(service.child.pid!, serviceCpu.half, () => openLoop(choose(service.url), RUN_S, serviceHalfRate, CONNECTIONS, HALF_WARMUP_S)),
      unflushed: await openLoop(choose(unflushed.url), RUN_S, serviceHalfRate, CONNECTIONS, HALF_WARMUP_S),
      bare: await openLoop(choose(bare.url), RUN_S, serviceHalfRate, CONNECTIONS, HALF_WARMUP_S),
      node: await openLoop(choose(bareNode.url), RUN_S, serviceHalfRate, CONNECTIONS, HALF_WARMUP_S),
    });
  }
  const after = await readHistograms(service.url, headers, HISTOGRAMS);
  const serverSide = new Map(HISTOGRAMS.map((name) => [name, difference(before.get(name)!, after.get(name)!)]));
  const serviceHalf = medianTail(halfRounds.map((round) => round.service));
  const unflushedHalf = medianTail(halfRounds.map((round) => round.unflushed));
  const bareAtServiceHalf = medianTail(halfRounds.map((round) => round.bare));
  const nodeAtServiceHalf = medianTail(halfRounds.map((round) => round.node));
  const bareHalf = await openLoop(choose(bare.url), RUN_S, Math.round(bareMax.rps / 2), CONNECTIONS, HALF_WARMUP_S);
  const latencySweep = await sweepLatency(
    { service: choose(service.url), bare: choose(bare.url), node: choose(bareNode.url) },
    { name: 'service', pid: service.child.pid!, maxRps: serviceMax.rps },
    { fractions: SWEEP_FRACTIONS, rounds: SWEEP_ROUNDS, seconds: RUN_S, warmupSeconds: HALF_WARMUP_S, connections: CONNECTIONS },
  );
  // The half-load rounds are the sweep's last point.
  latencySweep.push({
    fraction: 0.5,
    rate: serviceHalfRate,
    runs: { service: halfRounds.map((round) => round.service), bare: halfRounds.map((round) => round.bare), node: halfRounds.map((round) => round.node) },
    serviceCpu: serviceCpu.half,
  });
  await stop(service);
  await stop(unflushed);
  await stop(bare);
  await stop(bareNode);

  console.log('service under --cpu-prof: full speed');
  const profileDir = await mkdtemp(join(tmpdir(), 'limelight-bench-http-'));
  const profiled = await start('profiled service', 'src/main.ts', ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  await closedLoop(choose(profiled.url), WARMUP_S, CONNECTIONS);
  const profiledMax = await closedLoop(choose(profiled.url), RUN_S, CONNECTIONS);
  await stop(profiled);
  const profileFile = (await readdir(profileDir)).find((file) => file.endsWith('.cpuprofile'));
  if (!profileFile) throw new Error('the profiled service wrote no .cpuprofile');
  const profile = summariseProfile(JSON.parse(await readFile(join(profileDir, profileFile), 'utf8')), ROOT);
  await rm(profileDir, { recursive: true });

  await writeResults('http.md', report({ rounds, shared, serviceMax, linUcbMax, bareMax, halfRounds, serviceHalf, unflushedHalf, serverSide, serviceCpu, bareHalf, bareAtServiceHalf, nodeAtServiceHalf, commits, latencySweep, profiledMax, profile }));
} finally {
  await Promise.all([...running].map(stop));
  await scratch.remove();
  await rm(policiesDir, { recursive: true });
}

/** One round at the service's half load: the same arrivals for each target. */
type HalfRound = Record<'service' | 'unflushed' | 'bare' | 'node', Measurement>;

/** p99 against offered load for the three targets, with how busy each load kept the service. */
function latencySweepLines(sweep: readonly SweepPoint[]): string[] {
  const p99s = (runs: Measurement[] | undefined) => (runs ?? []).map((run) => run.p99.toFixed(1)).join(', ');
  const within = (target: string) => {
    const point = highestLoadWithin(sweep, target, P99_TARGET_MS);
    return point ? `${point.rate} req/s (${(100 * point.fraction).toFixed(0)} %)` : 'none of these loads';
  };
  return [
    `p99 against offered load (\`bench/http/latency-sweep.ts\`): the same paced runs at lower fractions of the service's maximum, ${SWEEP_ROUNDS} rounds of the three targets in turn at each, the half-load rounds above as the last point; the service's CPU (\`/proc\`, warm-ups included) as the share of one CPU it kept busy and its CPU time per request:`,
    '',
    markdownTable(
      ['load', 'req/s', 'service p99 ms (each run)', 'service busy', 'service µs per request', 'bare Express p99 ms', 'bare Node.js http p99 ms'],
      [true, true, false, true, true, false, false],
      sweep.map((point) => {
        const paced = pacedCpu(point.serviceCpu, point.rate, point.runs.service!.length);
        return [
          `${(100 * point.fraction).toFixed(0)} %`,
          String(point.rate),
          p99s(point.runs.service),
          `${(100 * paced.busy).toFixed(0)} %`,
          paced.micros.toFixed(0),
          p99s(point.runs.bare),
          p99s(point.runs.node),
        ];
      }),
    ),
    '',
    `The highest of these loads at which every run kept its p99 under ${P99_TARGET_MS} ms: the service ${within('service')}, bare Express ${within('bare')}, bare Node.js http ${within('node')} (percentages of the service's maximum).`,
    '',
  ];
}

/** The CPU time per request of the service and the ceiling when both share CPU 0 at once. */
function sharedCpuLines(shared: Record<'service' | 'linUcb', SharedRun[] | undefined>): string[] {
  if (!shared.service || !shared.linUcb) return ['(CPU time per request: not measured, `/proc` is not available.)', ''];
  const line = (label: string, [service, bare]: SharedRun[]) =>
    `- ${label}: ${service!.cpuMicros.toFixed(0)} µs against ${bare!.cpuMicros.toFixed(0)} µs for bare Express, so **${((100 * bare!.cpuMicros) / service!.cpuMicros).toFixed(1)} % of the ceiling** (${service!.measurement.rps.toFixed(0)} and ${bare!.measurement.rps.toFixed(0)} req/s while sharing the CPU);`;
  return [
    `The same ratio measured another way (\`bench/http/cpu-per-request.ts\`): the service and bare Express take the full-speed load at the same time, ${CONNECTIONS / 2} connections each, both on CPU 0, for ${RUN_S} s; each one's CPU time per answered request (from \`/proc\`), whose ratio is what the ceiling allows. Both see the same CPU speed, however it drifts, so this ratio moves little from run to run where the sequential rounds above do:`,
    '',
    line('service', shared.service),
    line('LinUCB only', shared.linUcb),
    '',
  ];
}

/** What the service's own histograms recorded during the half-load run, as sentences. */
function halfLoadInside(serverSide: Map<string, HistogramReading>, half: Measurement, cpu: string): string[] {
  const shares = (name: string) =>
    sharesWithin(serverSide.get(name)!, SERVER_BOUNDS_S)
      .map(([bound, share]) => `${(100 * share).toFixed(1)} % within ${Number(bound) * 1000} ms`)
      .join(', ');
  const batches = serverSide.get('limelight_decision_log_batch_seconds')!;
  const rows = serverSide.get('limelight_decision_log_batch_rows')!;
  const gc = serverSide.get('nodejs_gc_duration_seconds')!;
  const halfLoadSeconds = HALF_ROUNDS * (HALF_WARMUP_S + RUN_S);
  const [within10] = sharesWithin(gc, ['0.01']);
  return [
    `Inside the service at half load (its own histograms, read from \`/metrics\` before and after its ${HALF_ROUNDS} half-load runs, warm-ups included):`,
    '',
    `- **a decision** (\`limelight_decision_duration_seconds\`: from the handler's start to the answer, the log commit included): ${shares('limelight_decision_duration_seconds')};`,
    `- **a group commit** (\`limelight_decision_log_batch_seconds\`: the INSERT's round trip; ${batches.count} batches of ${(rows.sum / Math.max(1, rows.count)).toFixed(1)} rows on average): ${shares('limelight_decision_log_batch_seconds')};`,
    cpu,
    `- **garbage collection** (\`nodejs_gc_duration_seconds\`, every kind): ${gc.count} pauses, ${(1000 * gc.sum).toFixed(0)} ms in all over the ${halfLoadSeconds} s of its half-load runs (${((100 * gc.sum) / halfLoadSeconds).toFixed(1)} % of the time), ${(100 * (1 - within10![1])).toFixed(1)} % of them over 10 ms; during a pause every request waits, and at ${half.offered} req/s each 10 ms of pause queues ${((half.offered ?? 0) / 100).toFixed(0)} more.`,
    '',
    'What the half-load row adds to the decision times is outside the timer: the steps before it (key, body, schema), the wait for the event loop, the network stack and the load generator, which is one Node.js process (the bare rows at the service\'s half load show what a server that does nothing gets).',
  ];
}

/**
 * What the service's CPU tally over `runs` paced runs at `rate` says, warm-ups included: the share of one
 * CPU it kept busy, and its CPU time (µs) per request.
 */
function pacedCpu(tally: CpuTally, rate: number, runs: number): { busy: number; micros: number } {
  return { busy: tally.cpuSeconds / tally.wallSeconds, micros: (1e6 * tally.cpuSeconds) / (rate * runs * (HALF_WARMUP_S + RUN_S)) };
}

/**
 * The service process's CPU at half load against full speed, as a bullet of `halfLoadInside`: the share
 * of one CPU it kept busy, and its CPU time per request in each.
 */
function serviceCpuLine(cpu: Record<'full' | 'half', CpuTally>, rounds: ReadonlyArray<Record<'service', Measurement>>, half: Measurement): string {
  const fullRequests = rounds.reduce((sum, round) => sum + round.service.rps * RUN_S, 0);
  const fullMicros = (1e6 * cpu.full.cpuSeconds) / fullRequests;
  const paced = pacedCpu(cpu.half, half.offered ?? 0, HALF_ROUNDS);
  const halfMicros = paced.micros;
  if (!Number.isFinite(fullMicros) || !Number.isFinite(halfMicros)) return '- **the service\'s CPU**: not measured (`/proc` is not available);';
  return `- **the service's CPU** (\`/proc\`: user and system time of its process, every thread): ${(100 * paced.busy).toFixed(0)} % of one CPU over its half-load runs (warm-ups included), at ${halfMicros.toFixed(0)} µs per request against ${fullMicros.toFixed(0)} µs in its full-speed rounds (${(halfMicros / fullMicros).toFixed(2)} ×);`;
}

/** The run with the median throughput. */
function medianRun(runs: Measurement[]): Measurement {
  return [...runs].sort((x, y) => x.rps - y.rps)[Math.floor(runs.length / 2)]!;
}

/** The run with the median p99: at a fixed rate, the tail is what varies from run to run. */
function medianTail(runs: Measurement[]): Measurement {
  return [...runs].sort((x, y) => x.p99 - y.p99)[Math.floor(runs.length / 2)]!;
}

/**
 * A policies directory with `home-wide` and its LinUCB-only twin (the same surface with one policy arm),
 * which shows what the path costs without LinTS's Monte Carlo.
 */
async function benchPolicies(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'limelight-bench-policies-'));
  const source = join(ROOT, 'bench/policies/home-wide.yaml');
  await copyFile(source, join(dir, 'home-wide.yaml'));
  const surface = parse(await readFile(source, 'utf8')) as { id: string; name: string; policyArms: Array<{ id: string; share: number }> };
  const linUcb = surface.policyArms.find((arm) => arm.id === 'linucb');
  if (!linUcb) throw new Error('bench/policies/home-wide.yaml has no linucb policy arm');
  const twin = { ...surface, id: LINUCB_ONLY, name: `${surface.name} (LinUCB only)`, policyArms: [{ ...linUcb, share: 1 }] };
  await writeFile(join(dir, `${LINUCB_ONLY}.yaml`), stringify(twin));
  return dir;
}

/**
 * A server in a child process, on CPU 0 when pinned; the service from `bench/policies/` with durable
 * logging unless `env` says otherwise.
 */
async function start(name: string, entry: string, nodeFlags: string[] = [], env: Record<string, string> = {}): Promise<ReplicaProcess> {
  const replica = await startReplica(name, replicaEnv, {
    entry,
    nodeFlags,
    // The service's own defaults for model staleness and the reward sweeper, not the fast ones of the fault tests.
    env: { POLICIES_DIR: policiesDir, LOG_LEVEL: 'info', MODEL_STALENESS_MS: '250', SWEEP_INTERVAL_MS: '5000', ...env },
    ...(pinned ? { cpus: '0' } : {}),
  });
  running.add(replica);
  return replica;
}

/** SIGTERM, then waits for the exit (the service drains and commits what it accepted first). */
async function stop(replica: ReplicaProcess): Promise<void> {
  await replica.stop('SIGTERM');
  running.delete(replica);
}

async function checkChoose(target: LoadTarget): Promise<void> {
  const response = await fetch(`${target.url}/choose`, { method: 'POST', headers: target.headers, body: target.bodies[0] });
  const body = (await response.json()) as { arm?: unknown };
  if (response.status !== 200 || typeof body.arm !== 'string') throw new Error(`/choose answered ${response.status}: ${JSON.stringify(body)}`);
}

function report(figures: {
  rounds: Array<Record<'service' | 'linUcb' | 'bare', Measurement>>;
  shared: Record<'service' | 'linUcb', SharedRun[] | undefined>;
  serviceMax: Measurement;
  linUcbMax: Measurement;
  bareMax: Measurement;
  halfRounds: HalfRound[];
  serviceHalf: Measurement;
  unflushedHalf: Measurement;
  serverSide: Map<string, HistogramReading>;
  serviceCpu: Record<'full' | 'half', CpuTally>;
  bareHalf: Measurement;
  bareAtServiceHalf: Measurement;
  nodeAtServiceHalf: Measurement;
  commits: Measurement;
  latencySweep: SweepPoint[];
  profiledMax: Measurement;
  profile: { frames: ProfileFrame[]; idleShare: number };
}): string {
  const { rounds, shared, serviceMax, linUcbMax, bareMax, halfRounds, serviceHalf, unflushedHalf, serverSide, serviceCpu, bareHalf, bareAtServiceHalf, nodeAtServiceHalf, commits, latencySweep, profiledMax, profile } = figures;
  const ms = (value: number) => value.toFixed(2);
  const row = (target: string, m: Measurement, ceiling: Measurement | undefined) => [
    target,
    m.offered === undefined ? 'max (closed loop)' : `${m.offered} req/s`,
    m.rps.toFixed(0),
    ms(m.p50),
    ms(m.p99),
    ms(m.p999),
    String(m.non2xx),
    String(m.errors),
    ceiling ? `${((100 * m.rps) / ceiling.rps).toFixed(1)} %` : '—',
  ];
  const top = profile.frames.slice(0, 10);
  const lintsShare = profile.frames.filter((frame) => LINTS_FILES.includes(frame.where)).reduce((sum, frame) => sum + frame.share, 0);
  return [
    header,
    `- load average before the run: ${loadBefore.map((value) => value.toFixed(2)).join(', ')} (1, 5, 15 min) on ${cpuCount} CPUs${
      loadBefore[0]! > 0.5 ? ': other work was running, so throughputs are lower bounds and latencies upper bounds' : ''
    }`,
    pinned
      ? '- pinning: `taskset` — each server (child process, all its threads) on CPU 0, the load generators (autocannon at full speed, the paced open loop at half load, both in the bench process, all its threads) on CPU 1; Postgres and Redis are not pinned and share both CPUs'
      : '- pinning: none (`taskset` missing or a single CPU): servers, load generator, Postgres and Redis share the CPUs',
    `- load: autocannon 8, ${CONNECTIONS} connections, no pipelining, ${RUN_S} s per run after one ${WARMUP_S} s warm-up per target; at full speed, ${ROUNDS} rounds of service, LinUCB only and bare Express in turn, each reported by its median run; at the service's half load, ${HALF_ROUNDS} rounds of service, the service without awaiting the WAL flush, bare Express and bare Node.js http in turn, each run measured for ${RUN_S} s after ${HALF_WARMUP_S} s of the same arrivals that are not measured, each target reported by its run with the median p99; each request takes the next of ${CONTEXTS} pre-generated contexts (seeded), units cycling over 500 listeners`,
    '',
    'The service: `node --import tsx src/main.ts` with real Postgres (a database of its own, dropped after) and Redis (a key prefix of its own, deleted after), `Authorization: Bearer` with ADMIN_API_KEY, surface `home-wide` from `bench/policies/` (d = 16, 20 arms, LinUCB and LinTS 50/50, ε = 0.05, no campaign arms, so no Redis round trip per decision), every decision answered after the group commit of its log row; `/choose` is answered by its own route on Node.js\'s request and response (`src/choose-route.ts`: key, body, schema, decision, JSON), the rest of the API by Express. "LinUCB only" is the same surface with one policy arm, LinUCB, in the same service process. The ceiling: a bare Express 5 `POST /choose` handler returning a constant JSON body (no body parsing, auth or helmet) in its own process.',
    '',
    markdownTable(
      ['target', 'offered load', 'req/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'non-2xx', 'errors', 'of ceiling'],
      [false, false, true, true, true, true, true, true, true],
      [
        row('service', serviceMax, bareMax),
        row('service, LinUCB only', linUcbMax, bareMax),
        row('bare Express (ceiling)', bareMax, undefined),
        row('service, half load', serviceHalf, undefined),
        row('service, half load, WAL flush not awaited (diagnostic)', unflushedHalf, undefined),
        row('bare Express, half load', bareHalf, undefined),
        row('bare Express, the service\'s half load', bareAtServiceHalf, undefined),
        row('bare Node.js http, the service\'s half load', nodeAtServiceHalf, undefined),
        row('Postgres alone: one-row commit, back to back', commits, undefined),
        row('service under --cpu-prof', profiledMax, bareMax),
      ],
    ),
    '',
    'Each round at full speed (req/s, and the ratio to the ceiling of the same round):',
    '',
    markdownTable(
      ['round', 'service', 'LinUCB only', 'bare Express', 'service ÷ bare', 'LinUCB only ÷ bare'],
      [true, true, true, true, true, true],
      rounds.map((round, i) => [
        String(i + 1),
        round.service.rps.toFixed(0),
        round.linUcb.rps.toFixed(0),
        round.bare.rps.toFixed(0),
        (round.service.rps / round.bare.rps).toFixed(3),
        (round.linUcb.rps / round.bare.rps).toFixed(3),
      ]),
    ),
    '',
    `Each round at the service's half load (${serviceHalf.offered} req/s, the same arrivals for all four; p99 ms). The half-load rows above are each target's run with the median p99:`,
    '',
    markdownTable(
      ['round', 'service', 'service, WAL flush not awaited', 'bare Express', 'bare Node.js http'],
      [true, true, true, true, true],
      halfRounds.map((round, i) => [String(i + 1), ms(round.service.p99), ms(round.unflushed.p99), ms(round.bare.p99), ms(round.node.p99)]),
    ),
    '',
    'The row "WAL flush not awaited" is a second service process, the same but for its Postgres sessions\' `synchronous_commit = off` (`PGOPTIONS`): its commits return once the WAL is written, before Postgres flushes it to disk, so a crash could lose decisions it acknowledged — a diagnostic, never how the service runs. Given the same arrivals in the same rounds, its p99 against the service\'s is what waiting for the disk\'s flush adds to the tail.',
    '',
    ...latencySweepLines(latencySweep),
    ...sharedCpuLines(shared),
    'The Postgres row is no HTTP load: one connection commits one-row INSERTs back to back for 5 s (`bench/http/commit-latency.ts`); its req/s are commits per second, and its latencies are the floor under every `/choose` answer, which waits for its batch\'s commit.',
    '',
    ...halfLoadInside(serverSide, serviceHalf, serviceCpuLine(serviceCpu, rounds, serviceHalf)),
    '',
    'Latencies are of 2xx responses. At full speed (closed loop) they come from autocannon’s response events (sub-millisecond). At half load the arrivals are evenly paced (open loop, `openLoop` in `bench/http/load.ts`): request i is due at i/rate whether or not earlier ones were answered, and its latency runs from that due time, so a stall of the server counts for every request it delays. The paced requests go out on raw keep-alive sockets (`bench/http/raw-connection.ts`), which cost the generator a fraction of `http.request`; the due ones leave each millisecond, so a latency includes up to a millisecond of the generator\'s timer. The rows "bare Express, the service\'s half load" and "bare Node.js http, the service\'s half load" are floors for the service\'s half-load row: the same arrivals, answered by a handler that does nothing, through Express or through Node.js\'s HTTP server alone (`bench/http/bare-node.ts`), on this machine with this generator.',
    '',
    `Where the time goes (service under \`--cpu-prof\`, the same full-speed load, start-up included; idle ${(100 * profile.idleShare).toFixed(1)} % of samples). Top self-time frames, as a share of non-idle samples:`,
    '',
    markdownTable(
      ['self', 'frame', 'where'],
      [true, false, false],
      top.map((frame) => [`${(100 * frame.share).toFixed(1)} %`, `\`${frame.name}\``, frame.where]),
    ),
    '',
    `In one line: LinTS's Monte Carlo estimate of its action distribution (${LINTS_FILES.map((file) => `\`${file}\``).join(' and ')}, M draws per arm per decision) takes ${(100 * lintsShare).toFixed(1)} % of the busy CPU though only half the decisions are LinTS; the rest is spread thin over Node.js's HTTP stack, the log row's JSON, pg and GC (the LinUCB-only row shows that path without LinTS), and the ${(100 * profile.idleShare).toFixed(1)} % idle at full load is the event loop waiting for I/O: Postgres's answers to the group commits, two batches in flight at most.`,
  ].join('\n');
}
