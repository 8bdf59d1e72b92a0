/**
 * Throughput and memory of offline evaluation (`npm run bench:ope [-- --rows 1000000,10000000 --repeat 3]`):
 * IPS, SNIPS and DR (cross-fitted ridge reward model, so two passes over the log) with 1,000 bootstrap
 * resamples, over a seeded synthetic log of N rounds read from a CSV file (generated once under the
 * temp dir) and, when DATABASE_URL is set, from the decision log in Postgres (inserted with one
 * generate_series statement, in a database of its own that is kept for reruns).
 * Rows per second count logged rounds evaluated (not passes); peak RSS is the process's maxRSS after
 * each run, runs in ascending N, so a flat column shows that memory does not grow with the rows.
 * Environment: DATABASE_URL (Postgres runs), BENCH_OPE_PG_MAX_ROWS (largest N also run from Postgres,
 * default all), BENCH_OPE_FETCH (cursor FETCH size, default the reader's); those set are written into
 * the results file's command line.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../src/db/migrations-dir.js';
import { PgDatabase } from '../src/db/pg-database.js';
import { evaluateLog } from '../src/evaluation/evaluate-log.js';
import { readDecisionLog } from '../src/evaluation/inputs/read-decision-log.js';
import { readLoggedFeedback } from '../src/evaluation/inputs/read-logged-feedback.js';
import type { RoundSource } from '../src/evaluation/inputs/round-source.js';
import { fitCrossFittedRidge } from '../src/evaluation/reward-model/cross-fitted-ridge.js';
import type { TargetPolicy } from '../src/evaluation/targets/target-policy.js';
import { seededRandom } from '../src/stats/random.js';
import { markdownTable, resultsHeader, writeResults } from './results-file.js';

const ACTIONS = ['a', 'b', 'c'];
const argument = process.argv.indexOf('--rows');
const SIZES = (argument > 0 ? process.argv[argument + 1]! : '1000000,10000000').split(',').map(Number);
const repeatArgument = process.argv.indexOf('--repeat');
const REPEAT = repeatArgument > 0 ? Number(process.argv[repeatArgument + 1]) : 1;
const PG_SIZES = SIZES.filter((rows) => rows <= Number(process.env['BENCH_OPE_PG_MAX_ROWS'] || 10_000_000));

/**
 * A context-dependent target: softmax over actions of (x1, x2, 0). It reuses one distribution object,
 * which `evaluateLog` reads before asking for the next round, so the bench measures the pipeline rather
 * than this stand-in's allocations.
 */
function syntheticTarget(): TargetPolicy {
  const probabilities = new Float64Array(ACTIONS.length);
  const distribution = { actions: ACTIONS, probabilities };
  return {
    label: 'softmax(x1, x2, 0)',
    warnings: [],
    next(round) {
      const e1 = Math.exp(Number(round.context['x1']));
      const e2 = Math.exp(Number(round.context['x2']));
      const total = e1 + e2 + 1;
      probabilities[0] = e1 / total;
      probabilities[1] = e2 / total;
      probabilities[2] = 1 / total;
      return distribution;
    },
    finish() {},
  };
}

/** A seeded uniform-logging log: x1, x2 ~ U(0, 1), a segment, click probability 0.1 + 0.3·x of the arm. */
async function logFile(rows: number): Promise<string> {
  const dir = join(tmpdir(), 'limelight-bench-ope');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `log-${rows}.csv`);
  if (existsSync(file)) return file;
  const random = seededRandom(`bench-ope-${rows}`);
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('action,reward,propensity,x1,x2,segment\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const x1 = Math.round(random() * 1000) / 1000;
    const x2 = Math.round(random() * 1000) / 1000;
    const arm = Math.floor(random() * 3);
    const click = random() < 0.1 + 0.3 * (arm === 0 ? x1 : arm === 1 ? x2 : 0.5) ? 1 : 0;
    chunk += `${ACTIONS[arm]},${click},0.3333333333333333,${x1},${x2},${random() < 0.5 ? 'new' : 'returning'}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'close');
  await rename(partial, file);
  return file;
}

/** The same kind of log in the `decisions` table of a bench database, inserted by one generate_series statement. */
async function postgresLog(serverUrl: string, rows: number): Promise<{ db: PgDatabase; source: RoundSource }> {
  const name = 'limelight_bench_ope';
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = new PgDatabase({ connectionString: url.toString() });
  await migrate(db, MIGRATIONS_DIR);
  const surface = `bench-${rows}`;
  const { rows: counted } = await db.query<{ count: number }>('SELECT count(*)::bigint AS count FROM decisions WHERE surface = $1', [surface]);
  if (counted[0]!.count !== rows) {
    await db.query('DELETE FROM decisions WHERE surface = $1', [surface]);
    await db.query(
      `INSERT INTO decisions (id, decided_at, surface, policy_arm, learner, config_version, model_key, model_version, context,
                              candidates, probabilities, arm, propensity, seed, deferred, reward_by, reward, reward_source, rewarded_at)
       SELECT gen_random_uuid(), t, $1, 'control', 'uniform', 'bench', 'bench/control', 0,
              jsonb_build_object('x1', x1, 'x2', x2, 'segment', CASE WHEN random() < 0.5 THEN 'new' ELSE 'returning' END),
              ARRAY['a', 'b', 'c'], '{"a": 0.3333333333333333, "b": 0.3333333333333333, "c": 0.3333333333333333}',
              (ARRAY['a', 'b', 'c'])[arm + 1], 0.3333333333333333, 'bench', false, t + interval '1 hour',
              CASE WHEN random() < 0.1 + 0.3 * (CASE arm WHEN 0 THEN x1 WHEN 1 THEN x2 ELSE 0.5 END) THEN 1 ELSE 0 END, 'observed', t
         FROM (SELECT timestamptz '2026-01-01T00:00:00Z' + i * interval '10 milliseconds' AS t,
                      round(random()::numeric, 3)::float8 AS x1, round(random()::numeric, 3)::float8 AS x2,
                      floor(random() * 3)::int AS arm
                 FROM generate_series(0, $2::int - 1) AS i) AS generated`,
      [surface, rows],
    );
  }
  const filter = { surface, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
  const fetch = process.env['BENCH_OPE_FETCH'];
  return { db, source: () => (fetch ? readDecisionLog(db, filter, Number(fetch)) : readDecisionLog(db, filter)) };
}

interface Run {
  rows: number;
  seconds: number;
  /** User + system CPU seconds of this process: less sensitive than wall time to a shared, loaded machine. */
  cpuSeconds: number;
  maxRssMb: number;
  /** One-minute load average when the run started. */
  load: number;
  values: string;
}

async function measure(source: RoundSource): Promise<Run> {
  const load = loadavg()[0]!;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const rewardModel = await fitCrossFittedRidge(source);
  const result = await evaluateLog(source, syntheticTarget(), {
    estimators: [{ name: 'ips' }, { name: 'snips' }, { name: 'dr' }],
    bootstrap: 1000,
    seed: 'bench',
    rewardModel: rewardModel(),
  });
  const seconds = (performance.now() - start) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return {
    rows: result.rows,
    seconds,
    cpuSeconds: (user + system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    load,
    values: result.estimates.map((estimate) => `${estimate.estimator} ${estimate.value.toFixed(4)}`).join(', '),
  };
}

/** Runs `measure` REPEAT times and records the median run (by wall time) with the range of rows/s. */
async function measureRepeated(label: string, source: RoundSource): Promise<void> {
  const runs: Run[] = [];
  for (let r = 0; r < REPEAT; r++) {
    const run = await measure(source);
    console.log(`${label} ${run.rows} rows: ${run.seconds.toFixed(1)} s wall, ${run.cpuSeconds.toFixed(1)} s CPU, load ${run.load.toFixed(1)}`);
    runs.push(run);
  }
  runs.sort((a, b) => a.seconds - b.seconds);
  const median = runs[Math.floor((runs.length - 1) / 2)]!;
  const rate = (run: Run) => Math.round(run.rows / run.seconds).toLocaleString('en');
  const loads = runs.map((run) => run.load.toFixed(1)).join(', ');
  const row = [
    label,
    median.rows.toLocaleString('en'),
    String(runs.length),
    median.seconds.toFixed(1),
    rate(median),
    runs.length > 1 ? `${rate(runs[runs.length - 1]!)} – ${rate(runs[0]!)}` : rate(median),
    median.cpuSeconds.toFixed(1),
    Math.max(...runs.map((run) => run.maxRssMb)).toFixed(0),
    loads,
    median.values,
  ];
  table.push(row);
  console.log(row.join(' | '));
}

const PROFILE_HEADING = '## Where the time goes';
const table: string[][] = [];
for (const rows of SIZES) {
  const file = await logFile(rows);
  await measureRepeated('CSV file', () => readLoggedFeedback(file));
}
const { databaseUrl } = loadConfig();
if (databaseUrl) {
  for (const rows of PG_SIZES) {
    const { db, source } = await postgresLog(databaseUrl, rows);
    try {
      await measureRepeated('Postgres', source);
    } finally {
      await db.close();
    }
  }
}
await writeResults(
  'ope.md',
  [
    resultsHeader(
      'Offline evaluation throughput (IPS, SNIPS, DR; 1,000 bootstrap resamples)',
      `${environment()}npm run bench:ope -- --rows ${SIZES.join(',')} --repeat ${REPEAT}`,
    ),
    'Each run fits the cross-fitted ridge reward model (one pass) and evaluates (a second pass); rows/s is logged rounds over the wall time of both (median run, and the range over runs). CPU s is the process\'s user + system time of the median run, steadier than wall time when the machine is shared; load is the one-minute load average at the start of each run. Peak RSS is the process maximum so far (runs in ascending size, so a flat column shows memory does not grow with the rows).',
    '',
    markdownTable(
      ['source', 'rows', 'runs', 'seconds', 'rows/s', 'rows/s range', 'CPU s', 'peak RSS (MB)', 'load', 'estimates'],
      [false, true, true, true, true, true, true, true, false, false],
      table,
    ),
    databaseUrl ? '' : '\nPostgres: not measured (DATABASE_URL not set).',
    await profileSection(),
  ].join('\n'),
);

/** The bench's environment variables that were set, as a command prefix (the database URL elided). */
function environment(): string {
  const names = ['DATABASE_URL', 'BENCH_OPE_PG_MAX_ROWS', 'BENCH_OPE_FETCH'].filter((name) => process.env[name]);
  return names.map((name) => `${name}=${name === 'DATABASE_URL' ? '…' : process.env[name]} `).join('');
}

/**
 * The hand-written profile summary of the results file (from PROFILE_HEADING on), kept across reruns:
 * a CPU profile is taken separately (`node --cpu-prof --import tsx bench/ope.ts …`) and summarised by hand.
 */
async function profileSection(): Promise<string> {
  const file = fileURLToPath(new URL('./results/ope.md', import.meta.url));
  const previous = existsSync(file) ? await readFile(file, 'utf8') : '';
  const start = previous.indexOf(PROFILE_HEADING);
  return start < 0 ? '' : `\n${previous.slice(start).trimEnd()}`;
}
