/**
 * HTTP throughput and latency of `POST /choose` (`npm run bench:http`, needs DATABASE_URL and
 * REDIS_URL): the service as deployed — real Postgres and Redis, ADMIN_API_KEY as a Bearer key, durable
 * logging (a decision is answered after its group commit) — on the `home-wide` surface of
 * `bench/policies/` (d = 16, 20 arms, LinUCB and LinTS 50/50 with ε = 0.05, no campaign counters),
 * against the framework's ceiling: a bare Express 5 handler answering a constant JSON body.
 *
 * Each server runs in a child process and autocannon runs here, so the load generator never shares the
 * server's event loop; with `taskset` and two CPUs or more, the servers are pinned to CPU 0 and this
 * process to CPU 1. Every run is bounded in time: a warm-up, a closed-loop run at full speed (the
 * maximum), then an `overallRate` run at half that maximum; then a fresh service under `--cpu-prof`
 * takes the full-speed load once more, and the profile (written to a temporary directory) is summarised
 * by self time. The database `limelight_bench_http` and the run's Redis keys are removed at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { chooseBodies } from './http/contexts.js';
import { summariseProfile, type ProfileFrame } from './http/profile.js';
import { markdownTable, resultsHeader, writeResults } from './results-file.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATABASE = 'limelight_bench_http';
const CONNECTIONS = 64;
const WARMUP_S = 3;
const RUN_S = 10;
const CONTEXTS = 1000;
/** The files of LinTS's sampled distribution, whose share of the profile the report adds up. */
const LINTS_FILES = ['src/learners/lin-ts.ts', 'src/stats/random.ts'];

const config = loadConfig();
if (!config.databaseUrl || !config.redisUrl) throw new Error('bench:http needs DATABASE_URL (Postgres) and REDIS_URL (Redis)');
const serverUrl = config.databaseUrl;
const redisUrl = config.redisUrl;
const benchDatabaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${DATABASE}` }).toString();
const redisKeyPrefix = `limelight-bench-http-${process.pid}`;
const adminApiKey = randomBytes(32).toString('base64url');
const bodies = chooseBodies(CONTEXTS);
const credentials = new URL(serverUrl);
credentials.password = '';
// Before the pinning, which would make this process see one CPU.
const header = resultsHeader('HTTP throughput and latency of POST /choose', `DATABASE_URL=${credentials.toString()} REDIS_URL=${redisUrl} npm run bench:http`);
const cpuCount = availableParallelism();
const loadBefore = loadavg();
const pinned = pinLoadGenerator();

interface Measurement {
  offered: number | undefined;
  rps: number;
  p50: number;
  p99: number;
  p999: number;
  non2xx: number;
  errors: number;
}

const children = new Set<ChildProcess>();
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DATABASE}`);
try {
  const service = await startService([]);
  const bare = await startChild(['--import', 'tsx', 'bench/http/bare-express.ts'], {}, (line) => line.url);
  await checkChoose(service.url);

  console.log('service: warm-up, then full speed');
  await load(service.url, WARMUP_S);
  const serviceMax = await load(service.url, RUN_S);
  console.log('bare Express: warm-up, then full speed');
  await load(bare.url, WARMUP_S);
  const bareMax = await load(bare.url, RUN_S);
  console.log('both at half their maximum');
  const serviceHalf = await load(service.url, RUN_S, Math.round(serviceMax.rps / 2));
  const bareHalf = await load(bare.url, RUN_S, Math.round(bareMax.rps / 2));
  await stop(service.child);
  await stop(bare.child);

  console.log('service under --cpu-prof: full speed');
  const profileDir = await mkdtemp(join(tmpdir(), 'limelight-bench-http-'));
  const profiled = await startService(['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  await load(profiled.url, WARMUP_S);
  const profiledMax = await load(profiled.url, RUN_S);
  await stop(profiled.child);
  const profileFile = (await readdir(profileDir)).find((file) => file.endsWith('.cpuprofile'));
  if (!profileFile) throw new Error('the profiled service wrote no .cpuprofile');
  const profile = summariseProfile(JSON.parse(await readFile(join(profileDir, profileFile), 'utf8')), ROOT);
  await rm(profileDir, { recursive: true });

  await writeResults('http.md', report({ serviceMax, bareMax, serviceHalf, bareHalf, profiledMax, profile }));
} finally {
  await Promise.all([...children].map(stop));
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
  await deleteRedisKeys();
}

/** Pins this process (the load generator) to CPU 1 when the servers can have CPU 0 to themselves. */
function pinLoadGenerator(): boolean {
  if (cpuCount < 2 || spawnSync('taskset', ['-V']).status !== 0) return false;
  return spawnSync('taskset', ['-pc', '1', String(process.pid)]).status === 0;
}

function startService(nodeFlags: string[]): Promise<{ url: string; child: ChildProcess }> {
  const env = {
    DATABASE_URL: benchDatabaseUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    ADMIN_API_KEY: adminApiKey,
    POLICIES_DIR: 'bench/policies',
    PORT: '0',
    LOG_LEVEL: 'info',
    // One key sends all the load: its token bucket must not be what is measured.
    RATE_LIMIT_PER_SECOND: '1000000',
  };
  return startChild([...nodeFlags, '--import', 'tsx', 'src/main.ts'], env, (line) =>
    line.msg === 'limelight is listening' ? line.url : undefined,
  );
}

/** Spawns `node args` (on CPU 0 when pinned) and resolves with the URL its first matching stdout JSON line gives. */
function startChild(
  args: string[],
  env: Record<string, string>,
  urlOf: (line: Record<string, unknown>) => unknown,
): Promise<{ url: string; child: ChildProcess }> {
  const [command, commandArgs] = pinned ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command as string, commandArgs as string[], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.at(-1)} did not start within 60 s\n${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${args.at(-1)} exited with ${code}\n${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      const url = urlOf(line);
      if (typeof url === 'string') {
        clearTimeout(timer);
        // The service answers on every interface; the load goes to the loopback address only.
        resolve({ url: url.replace('localhost', '127.0.0.1'), child });
      }
    });
  });
}

/** SIGTERM, then waits for the exit (the service drains and commits what it accepted first). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  children.delete(child);
}

async function checkChoose(url: string): Promise<void> {
  const response = await fetch(`${url}/choose`, { method: 'POST', headers: headers(), body: bodies[0] });
  const body = (await response.json()) as { arm?: unknown };
  if (response.status !== 200 || typeof body.arm !== 'string') throw new Error(`/choose answered ${response.status}: ${JSON.stringify(body)}`);
}

function headers(): Record<string, string> {
  return { authorization: `Bearer ${adminApiKey}`, 'content-type': 'application/json' };
}

/**
 * One bounded autocannon run of `POST /choose`, each request with the next body of the pool. Latencies
 * are taken from the response events (sub-millisecond; autocannon's own histogram keeps whole ms), 2xx
 * only. With `overallRate`, autocannon's coordinated-omission correction is off: it back-fills with an
 * expected interval of ⌈1/rate⌉ ms = 1 ms for any per-connection rate, which invents samples.
 */
function load(url: string, seconds: number, overallRate?: number): Promise<Measurement> {
  let next = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        ...(overallRate === undefined ? {} : { overallRate, ignoreCoordinatedOmission: true }),
        requests: [
          {
            method: 'POST',
            path: '/choose',
            headers: headers(),
            setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
          },
        ],
      },
      (error, result: Result) => {
        if (error) return reject(error);
        latencies.sort((x, y) => x - y);
        const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
        const measured = {
          offered: overallRate,
          rps: result.requests.total / result.duration,
          p50: at(0.5),
          p99: at(0.99),
          p999: at(0.999),
          non2xx: result.non2xx,
          errors: result.errors,
        };
        console.log(`  ${measured.rps.toFixed(0)} req/s, p50 ${measured.p50.toFixed(2)} ms, p99 ${measured.p99.toFixed(2)} ms, non-2xx ${measured.non2xx}`);
        resolve(measured);
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

async function deleteRedisKeys(): Promise<void> {
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${redisKeyPrefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = nextCursor;
  } while (cursor !== '0');
  await redis.quit();
}

function report(figures: {
  serviceMax: Measurement;
  bareMax: Measurement;
  serviceHalf: Measurement;
  bareHalf: Measurement;
  profiledMax: Measurement;
  profile: { frames: ProfileFrame[]; idleShare: number };
}): string {
  const { serviceMax, bareMax, serviceHalf, bareHalf, profiledMax, profile } = figures;
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
      ? '- pinning: `taskset` — each server (child process) on CPU 0, the load generator (autocannon, in the bench process) on CPU 1; Postgres and Redis are not pinned and share both CPUs'
      : '- pinning: none (`taskset` missing or a single CPU): servers, load generator, Postgres and Redis share the CPUs',
    `- load: autocannon 8, ${CONNECTIONS} connections, no pipelining, ${RUN_S} s per run after a ${WARMUP_S} s warm-up; each request takes the next of ${CONTEXTS} pre-generated contexts (seeded), units cycling over 500 listeners`,
    '',
    'The service: `node --import tsx src/main.ts` with real Postgres (a database of its own, dropped after) and Redis (a key prefix of its own, deleted after), `Authorization: Bearer` with ADMIN_API_KEY, surface `home-wide` from `bench/policies/` (d = 16, 20 arms, LinUCB and LinTS 50/50, ε = 0.05, no campaign arms, so no Redis round trip per decision), every decision answered after the group commit of its log row. The ceiling: a bare Express 5 `POST /choose` handler returning a constant JSON body (no body parsing, auth or helmet) in its own process.',
    '',
    markdownTable(
      ['target', 'offered load', 'req/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'non-2xx', 'errors', 'of ceiling'],
      [false, false, true, true, true, true, true, true, true],
      [
        row('service', serviceMax, bareMax),
        row('bare Express (ceiling)', bareMax, undefined),
        row('service, half load', serviceHalf, undefined),
        row('bare Express, half load', bareHalf, undefined),
        row('service under --cpu-prof', profiledMax, bareMax),
      ],
    ),
    '',
    'Latencies are of 2xx responses, from autocannon’s response events (sub-millisecond). At half load autocannon’s `overallRate` is a per-connection budget per second: each connection sends back to back until it has spent its budget and then waits for the next second, so the offered load arrives in bursts at the top of each second rather than evenly, and the half-load p99 is an upper bound on the p99 of a smooth arrival at that rate. Its coordinated-omission correction is off (see `load` in `bench/http.ts`).',
    '',
    `Where the time goes (service under \`--cpu-prof\`, the same full-speed load, start-up included; idle ${(100 * profile.idleShare).toFixed(1)} % of samples). Top self-time frames, as a share of non-idle samples:`,
    '',
    markdownTable(
      ['self', 'frame', 'where'],
      [true, false, false],
      top.map((frame) => [`${(100 * frame.share).toFixed(1)} %`, `\`${frame.name}\``, frame.where]),
    ),
    '',
    `In one line: LinTS's Monte Carlo estimate of its action distribution (${LINTS_FILES.map((file) => `\`${file}\``).join(' and ')}, M draws per arm per decision) takes ${(100 * lintsShare).toFixed(1)} % of the busy CPU though only half the decisions are LinTS; the rest is spread thin over Express, HTTP, pg and GC, and the ${(100 * profile.idleShare).toFixed(1)} % idle at full load is the event loop waiting for I/O, chiefly the group commit's round trip to Postgres.`,
  ].join('\n');
}
