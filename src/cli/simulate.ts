import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { components } from '../api/openapi-types.js';
import type { ChooseResponse } from '../api/api-types.js';
import { loadConfig } from '../config.js';
import { readBanditStream, type BanditStream } from '../replay/bandit-stream.js';
import { resultsHeader, writeResults } from '../simulation/results-file.js';
import { serviceClient } from '../simulation/service-client.js';
import { summariseSeeds } from '../simulation/seed-summary.js';
import { simulationPlot, simulationPreamble, simulationSection, type StreamRuns } from '../simulation/simulation-report.js';
import { findScenario, SIMULATION_SCENARIOS } from '../simulation/simulation-scenario.js';
import { runStreamSimulation } from '../simulation/stream-simulation.js';
import { STREAM_POLICY_ARMS } from '../simulation/stream-surface.js';
import { SyntheticListeners } from '../simulation/synthetic-listeners.js';
import { readCommandLine, UsageError } from './command-line.js';

const HELP = `Usage: npm run simulate -- --key KEY [--url URL] [--surface ID] [--requests N]
                            [--concurrency C] [--reward-rate R] [--listeners L] [--seed S]
       npm run simulate -- --stream FILE [--stream FILE …] [stream options]

Drives synthetic listeners against a running Limelight: each asks /choose with a context drawn from
the surface's feature schema, "clicks" with a hidden per-arm logistic probability, and reports the
reward a moment later (or never, so the surface default applies). Prints the reward rate of each
policy arm as it learns.

  --key KEY          an API key with the decide and read scopes (the development key that
                     npm start prints; default: ADMIN_API_KEY)
  --url URL          the service (default http://127.0.0.1:8080)
  --surface ID       the surface to drive (default home)
  --requests N       decisions to make (default 5000)
  --concurrency C    requests in flight at once (default 8)
  --reward-rate R    fraction of decisions whose reward is reported (default 0.9)
  --listeners L      distinct listener ids, for sticky policy-arm assignment (default 1000)
  --seed S           seed of the synthetic world (default demo)
  --help             this text

With --stream, the end-to-end learning simulation (needs DATABASE_URL and REDIS_URL): starts two
replicas on a database and Redis key prefix of their own, serves each full-information stream (CSV with
x_* context and r_* reward columns) as a surface with LinUCB, LinTS and a uniform control, and lets a
simulated population visit them, one visit per row, posting rewards late, never, or twice. Then runs
each learner in process on the rows its policy arm received. It does so once per --seed, writes
bench/results/<scenario file>.md and <scenario file>-<stream>.svg, and in the standard scenario exits
with status 1 when a learner's mean service/in-process ratio over the seeds is under the bar.

  --stream FILE          a stream to simulate (repeatable)
  --scenario NAME        standard: every outcome posted after the delay, some lost, some twice;
                         gated, written to simulate.md (the default).
                         silent-non-clicks: half the non-clicks never posted, so their zeros come
                         only when the window closes; a stress scenario, reported but not gated,
                         written to simulate-silent-non-clicks.md
  --rounds N             visits: the first N rows of each stream (default: all)
  --concurrency C        /choose requests in flight (default 12)
  --reward-delay-ms MS   mean of the exponential reward delay (default 300)
  --silent-non-clicks F  share of non-clicks never posted (default: the scenario's, 0 or 0.5)
  --lost F               share of all rewards lost on the way (default 0.02)
  --duplicates F         share of posted rewards posted twice (default 0.05)
  --window S             attribution window in seconds (default 2)
  --staleness-ms MS      the replicas' MODEL_STALENESS_MS (default 100)
  --bar B                least mean service/in-process ratio of a learner (default 0.95)
  --seed S               a seed of the population, one run each (repeatable; default 1, 2 and 3)`;

type SurfaceDetail = components['schemas']['SurfaceDetail'];

/** Three population seeds: the gate's mean ratio and its spread, in about three runs' time. */
const DEFAULT_SEEDS = ['1', '2', '3'];

/** How often each replica closes expired windows: a fraction of the window, so defaults come on time. */
const SWEEP_INTERVAL_MS = 200;

const STREAM_FLAGS = ['stream', 'scenario', 'rounds', 'concurrency', 'reward-delay-ms', 'silent-non-clicks', 'lost', 'duplicates', 'window', 'staleness-ms', 'bar', 'seed'] as const;

async function main(argv: readonly string[]): Promise<number> {
  return argv.some((arg) => arg === '--stream' || arg.startsWith('--stream=')) ? simulateStreams(argv) : driveRunningService();
}

async function simulateStreams(argv: readonly string[]): Promise<number> {
  const line = readCommandLine(argv, { values: STREAM_FLAGS, repeatable: ['stream', 'seed'] });
  if (line === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const value = (flag: (typeof STREAM_FLAGS)[number]) => line.values.get(flag)?.[0];
  const scenario = findScenario(value('scenario') ?? 'standard');
  if (!scenario) throw new UsageError(`--scenario must be one of ${SIMULATION_SCENARIOS.map(({ name }) => name).join(', ')}, got "${value('scenario')}"`);
  const shared = {
    concurrency: positiveInteger('--concurrency', value('concurrency') ?? '12'),
    schedule: {
      meanDelayMs: numberIn('--reward-delay-ms', value('reward-delay-ms') ?? '300', Infinity),
      silentNonClick: numberIn('--silent-non-clicks', value('silent-non-clicks') ?? String(scenario.silentNonClick)),
      lost: numberIn('--lost', value('lost') ?? '0.02'),
      duplicate: numberIn('--duplicates', value('duplicates') ?? '0.05'),
    },
    attributionWindowSeconds: positiveInteger('--window', value('window') ?? '2'),
    modelStalenessMs: positiveInteger('--staleness-ms', value('staleness-ms') ?? '100'),
    sweepIntervalMs: SWEEP_INTERVAL_MS,
    bar: barOf(value('bar') ?? '0.95'),
  };
  const seeds = line.values.get('seed') ?? DEFAULT_SEEDS;
  const rounds = value('rounds') === undefined ? undefined : positiveInteger('--rounds', value('rounds')!);
  const { databaseUrl, redisUrl } = loadConfig();
  if (!databaseUrl || !redisUrl) throw new UsageError('--stream needs DATABASE_URL (Postgres) and REDIS_URL (Redis)');
  const server = new URL(databaseUrl);
  server.password = '';
  const header = resultsHeader(
    `End-to-end learning simulation, ${scenario.name} scenario: the service against the same learners in process`,
    `DATABASE_URL=${server.toString()} REDIS_URL=${redisUrl} npm run simulate -- ${argv.join(' ')}`,
  );
  const sections: string[] = [];
  let failed = false;
  // Every stream is read before any replica starts, so a bad file costs nothing.
  const streams = await Promise.all(line.values.get('stream')!.map(async (file) => ({ name: basename(file, extname(file)), stream: await readStream(file) })));
  for (const { name, stream } of streams) {
    const options = { ...shared, serverUrl: databaseUrl, redisUrl, stream, rounds: Math.min(rounds ?? Infinity, stream.contexts.length) };
    const runs: StreamRuns['runs'] = [];
    for (const seed of seeds) {
      const result = await runStreamSimulation({ ...options, seed, log: (message) => console.log(`${name}, seed ${seed}: ${message}`) });
      console.table(result.policyArms.map(({ comparison }) => comparison));
      runs.push({ seed, result });
    }
    const summaries = STREAM_POLICY_ARMS.map((policyArm) => {
      const ratios = runs.map(({ result }) => result.policyArms.find(({ comparison }) => comparison.policy === policyArm.id)!.comparison.ratio);
      return summariseSeeds(policyArm.id, ratios, { gated: scenario.gated && policyArm.learner.kind !== 'uniform', bar: shared.bar });
    });
    console.table(summaries);
    failed ||= summaries.some((summary) => !summary.passes);
    const streamRuns: StreamRuns = { name, plotFile: `${scenario.resultsName}-${name}.svg`, options, runs, summaries };
    await writeResults(streamRuns.plotFile, simulationPlot(streamRuns));
    sections.push(simulationSection(streamRuns));
  }
  await writeResults(`${scenario.resultsName}.md`, [header, simulationPreamble(scenario, { ...shared, seeds }), ...sections].join('\n'));
  return failed ? 1 : 0;
}

async function driveRunningService(): Promise<number> {
  const { values } = parseArgs({
    options: {
      key: { type: 'string' },
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      surface: { type: 'string', default: 'home' },
      requests: { type: 'string', default: '5000' },
      concurrency: { type: 'string', default: '8' },
      'reward-rate': { type: 'string', default: '0.9' },
      listeners: { type: 'string', default: '1000' },
      seed: { type: 'string', default: 'demo' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const requests = positiveInteger('--requests', values.requests);
  const concurrency = positiveInteger('--concurrency', values.concurrency);
  const listeners = positiveInteger('--listeners', values.listeners);
  const rewardRate = numberIn('--reward-rate', values['reward-rate']);

  const key = values.key ?? loadConfig().adminApiKey;
  if (!key) throw new UsageError('--key KEY is required (the development key printed by npm start, or ADMIN_API_KEY)');
  const { call } = serviceClient(key);
  const detail = await call<SurfaceDetail>(`${values.url}/surfaces/${values.surface}`);
  const world = new SyntheticListeners(detail.config, values.seed);
  const tally = new Map<string, { decisions: number; reward: number; best: number }>();
  let issued = 0;
  const worker = async () => {
    while (issued < requests) {
      const index = issued++;
      const context = world.context();
      const unit = `listener-${Math.floor(world.uniform() * listeners)}`;
      const decision = await call<ChooseResponse>(`${values.url}/choose`, { surface: values.surface, unit, context });
      const reward = world.respond(context, decision.arm);
      const row = tally.get(decision.policy) ?? { decisions: 0, reward: 0, best: 0 };
      row.decisions += 1;
      row.reward += reward;
      row.best += world.bestProbability(context, Object.keys(decision.probabilities));
      tally.set(decision.policy, row);
      if (world.uniform() < rewardRate) await call(`${values.url}/reward`, { decisionId: decision.decisionId, reward });
      if ((index + 1) % Math.max(1, Math.floor(requests / 10)) === 0) report(index + 1, tally);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return 0;
}

function report(done: number, tally: ReadonlyMap<string, { decisions: number; reward: number; best: number }>): void {
  const rows = [...tally].map(([policy, row]) => ({
    policy,
    decisions: row.decisions,
    rewardRate: Number((row.reward / row.decisions).toFixed(4)),
    oracleRate: Number((row.best / row.decisions).toFixed(4)),
  }));
  process.stdout.write(`after ${done} decisions\n`);
  console.table(rows);
}

function positiveInteger(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got "${raw}"`);
  return value;
}

async function readStream(file: string): Promise<BanditStream> {
  try {
    return await readBanditStream(file);
  } catch (error) {
    throw new UsageError(`cannot read --stream ${file}: ${(error as Error).message}`);
  }
}

/** The bar is a share of the in-process reward: 0 would pass anything. */
function barOf(raw: string): number {
  const bar = numberIn('--bar', raw);
  if (bar === 0) throw new UsageError('--bar must be in (0, 1], got "0"');
  return bar;
}

/** A number in [0, max] (a share by default). */
function numberIn(flag: string, raw: string, max = 1): number {
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (!(value >= 0 && value <= max)) throw new UsageError(`${flag} must be a number in [0, ${max === Infinity ? '∞' : max}], got "${raw}"`);
  return value;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`simulate: ${error.message}\n\n${HELP}\n`);
  process.exitCode = 2;
}
