/**
 * Time of the policy-arm report over a large decision log (`npm run bench:report [-- --rows 1000000]`,
 * needs DATABASE_URL): N decisions of the shipped `home` surface over 30 days (policy arms by their
 * configured shares, arms uniformly, binary rewards), inserted by one generate_series statement into
 * a database of its own that is kept for reruns. Times `buildReport` without the leaderboard over the
 * whole log and the last day, first without the daily rollup (one aggregate scan) and then after one run
 * of the rollup job (`rollUpReportDays`, timed too), and with the leaderboard over the last day (row-by-row
 * replay of the control's traffic), each the median of 5 runs after a warm-up.
 */
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../src/db/migrations-dir.js';
import { PgDatabase } from '../src/db/pg-database.js';
import { buildReport, type ReportQuery } from '../src/reports/build-report.js';
import { rollUpReportDays } from '../src/reports/report-rollup.js';
import { loadSurfaces } from '../src/surfaces/load-surfaces.js';
import { markdownTable, resultsHeader, writeResults } from './results-file.js';

const argument = process.argv.indexOf('--rows');
const ROWS = argument > 0 ? Number(process.argv[argument + 1]) : 1_000_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const DAYS = 30;
const RUNS = 5;

const serverUrl = loadConfig().databaseUrl;
if (!serverUrl) throw new Error('bench:report needs DATABASE_URL (a Postgres server)');
const surface = (await loadSurfaces('policies')).get('home');
if (!surface) throw new Error('the shipped policies have no home surface');

const name = 'limelight_bench_report';
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const db = new PgDatabase({ connectionString: url.toString() });
await migrate(db, MIGRATIONS_DIR);

// Learned, as in production once the sweeper is done: the rollup only takes days the sweeper is done with.
const { rows: counted } = await db.query<{ count: number }>(
  "SELECT count(*)::bigint AS count FROM decisions WHERE surface = 'home' AND learned_at IS NOT NULL",
);
if (counted[0]!.count !== ROWS) {
  console.log(`inserting ${ROWS} decisions…`);
  await db.query("DELETE FROM decisions WHERE surface = 'home'");
  const arms = surface.config.arms.map((arm) => arm.id);
  // Policy arm by cumulative share (linucb 0.45, lints 0.45, control 0.10); the learners click more often.
  await db.query(
    `INSERT INTO decisions (id, decided_at, surface, policy_arm, learner, config_version, model_key, model_version, context,
                            candidates, probabilities, arm, propensity, seed, deferred, reward_by, reward, reward_source, rewarded_at,
                            learned_at)
     SELECT gen_random_uuid(), t, 'home', policy_arm, learner, 'bench', 'home/' || policy_arm, 0,
            jsonb_build_object('hour_of_day', floor(random() * 24), 'device', (ARRAY['ios', 'android', 'web', 'desktop', 'tv'])[1 + floor(random() * 5)::int],
                               'premium', random() < 0.3, 'listening_minutes_7d', round(random() * 1000),
                               'country_tier', (ARRAY['tier1', 'tier2', 'tier3'])[1 + floor(random() * 3)::int]),
            $1::text[], (SELECT jsonb_object_agg(a, 1.0 / cardinality($1::text[])) FROM unnest($1::text[]) AS a),
            ($1::text[])[1 + arm], 1.0 / cardinality($1::text[]), 'bench', false, t + interval '30 minutes',
            CASE WHEN random() < CASE policy_arm WHEN 'control' THEN 0.10 WHEN 'lints' THEN 0.12 ELSE 0.13 END THEN 1 ELSE 0 END,
            'observed', t, t
       FROM (SELECT to_timestamp($3::double precision / 1000) + i * ($4::double precision * interval '1 millisecond') AS t,
                    CASE WHEN u < 0.45 THEN 'linucb' WHEN u < 0.90 THEN 'lints' ELSE 'control' END AS policy_arm,
                    CASE WHEN u < 0.45 THEN 'linucb' WHEN u < 0.90 THEN 'lints' ELSE 'uniform' END AS learner,
                    floor(random() * cardinality($1::text[]))::int AS arm
               FROM (SELECT i, random() AS u FROM generate_series(0, $2::int - 1) AS i) AS drawn) AS generated`,
    [arms, ROWS, START, (DAYS * 86_400_000) / ROWS],
  );
  // Sets the visibility map, as autovacuum would, so the covering index allows an index-only scan.
  await db.query('VACUUM ANALYZE decisions');
}

async function time(query: Omit<ReportQuery, 'now'>): Promise<{ ms: number; rows: number }> {
  const run = async () => {
    const started = performance.now();
    const report = await buildReport(db, surface!, { ...query, now: new Date() });
    return { ms: performance.now() - started, rows: report.policyArms.reduce((sum, arm) => sum + arm.decisions, 0) };
  };
  await run();
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run());
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(RUNS / 2)]!;
}

const lastDay = { from: new Date(START + (DAYS - 1) * 86_400_000), to: new Date(START + DAYS * 86_400_000) };
const results: string[][] = [];
const measure = async (label: string, query: Omit<ReportQuery, 'now'>) => {
  const { ms, rows } = await time(query);
  console.log(`${label}: ${rows} decisions, ${ms.toFixed(0)} ms`);
  results.push([label, rows.toLocaleString('en'), ms.toFixed(0)]);
};
await db.query("DELETE FROM report_daily WHERE surface = 'home'");
await db.query("DELETE FROM report_rollup WHERE surface = 'home'");
await measure('whole log, no leaderboard, without the rollup', { leaderboard: false });
await measure('last day, no leaderboard, without the rollup', { ...lastDay, leaderboard: false });
const rollupStarted = performance.now();
await rollUpReportDays(db, [surface], new Date());
const rollupMs = performance.now() - rollupStarted;
console.log(`rollup job, first run: ${rollupMs.toFixed(0)} ms`);
await measure('whole log, no leaderboard, with the rollup', { leaderboard: false });
await measure('last day, no leaderboard, with the rollup', { ...lastDay, leaderboard: false });
await measure('last day, with leaderboard, with the rollup', { ...lastDay, leaderboard: true });
await db.close();

await writeResults(
  'report.md',
  [
    resultsHeader('Policy-arm report over the decision log', `npm run bench:report -- --rows ${ROWS}`),
    `${ROWS.toLocaleString('en')} decisions of \`home\` over ${DAYS} days in Postgres; median of ${RUNS} runs after a warm-up. The bench times the cases without the rollup on an empty \`report_daily\`, then runs the rollup job (\`rollUpReportDays\`) once — its first run over the whole log took ${rollupMs.toFixed(0)} ms — and times them again. Every day of the bench is settled, so with the rollup the report reads \`report_daily\` and its live scan covers no decisions.`,
    '',
    markdownTable(['case', 'decisions in window', 'ms'], [false, true, true], results),
    '',
    `Load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (1, 5, 15 min) on ${availableParallelism()} CPUs; figures on a busy machine are upper bounds.`,
    '',
    'Without the rollup, everything but the leaderboard is one aggregate scan (COUNT, SUM, SUM of squares per policy arm, arm and day, over the covering index of migration 005, JIT off); with it, the whole UTC days before the watermark come from `report_daily` (migration 007) and only the rest of the window is scanned. The leaderboard replays the control arm\'s traffic row by row once per policy config, so it is timed over a day.',
  ].join('\n'),
);
