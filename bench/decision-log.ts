/**
 * Write rate and size of the decision log in Postgres, and the model state a decision leaves in Redis
 * (`npm run bench:decision-log`, needs DATABASE_URL; REDIS_URL for the Redis part), with rows as the service writes them for the `home-wide` benchmark surface of `bench/policies/`
 * (d = 16, 20 arms, LinUCB and LinTS): the real `DecisionService` decides over 1000 seeded contexts from
 * the prior, and its records are cycled with fresh UUIDv7 ids and times.
 *
 * (a) `PostgresDecisionStore.insertMany` — the group commit's statement — one batch in flight at a time
 * as one replica's `DecisionLogWriter` sends them, at batch sizes 1, 10, 100 and 500, and four writers at
 * once at 500 (four replicas); (b) `COPY decisions FROM STDIN` (CSV) of the same rows, 10 000 per
 * statement; then the size of a row (`pg_column_size`) and of the table with its indexes per row; and
 * (c) the two later writes of each row as the reward sweeper issues them (`claimDefaultRewards` of 500,
 * then `markLearned` per decision, as `DecisionLearner.learn` does); (d) with REDIS_URL, LEARNED decisions of those rows taught to
 * `RedisModelStateStore` one at a time as a reward does: the rate, the memory of a model's statistics
 * and of a decision's at-most-once marker (`MEMORY USAGE`), and the cost of the snapshot read every
 * replica makes each MODEL_STALENESS_MS. Each run is bounded in time; the database
 * `limelight_bench_decision_log` is dropped and the run's Redis keys deleted at the end.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ChooseRequest } from '../src/api/api-types.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../src/db/migrations-dir.js';
import { ensureDecisionPartitions } from '../src/db/partitions.js';
import { PgDatabase } from '../src/db/pg-database.js';
import { createDecisionId } from '../src/decisions/decision-id.js';
import type { NewDecision } from '../src/decisions/decision-record.js';
import { toNewDecisionRow } from '../src/decisions/decision-row.js';
import { DecisionService } from '../src/decisions/decision-service.js';
import { PostgresDecisionStore } from '../src/decisions/postgres-decision-store.js';
import { decisionIncrement } from '../src/model-state/decision-increment.js';
import { InMemoryModelStateStore } from '../src/model-state/in-memory-model-state-store.js';
import { ModelCache } from '../src/model-state/model-cache.js';
import { RedisModelStateStore } from '../src/model-state/redis-model-state-store.js';
import { deleteKeysUnder, withServer } from '../src/simulation/scratch-backends.js';
import { loadSurfaces } from '../src/surfaces/load-surfaces.js';
import type { SurfaceCatalog } from '../src/surfaces/surface-catalog.js';
import { chooseBodies } from './http/contexts.js';
import { markdownTable, resultsHeader, writeResults } from './results-file.js';

const DATABASE = 'limelight_bench_decision_log';
const SURFACE = 'home-wide';
const TEMPLATES = 1000;
const RUN_S = 5;
const BATCH_SIZES = [1, 10, 100, 500];
const CONCURRENT_WRITERS = 4;
const COPY_ROWS = 100_000;
const COPY_BATCH = 10_000;
/** The sweeper's claim size (src/rewards/reward-sweeper.ts). */
const SWEEP_BATCH = 500;
const MB = 1_000_000;
/** Decisions taught to the Redis model store, and snapshot reads timed. */
const LEARNED = 4000;
const SNAPSHOT_READS = 200;
/** The row's widest columns, whose sizes are reported one by one. */
const WIDE_COLUMNS = ['probabilities', 'candidates', 'context', 'seed'] as const;

interface Run {
  how: string;
  rows: number;
  seconds: number;
  /** Bytes sent to Postgres: the JSON parameter of the INSERT, or the CSV of the COPY. */
  payloadBytes: number;
}

const config = loadConfig();
if (!config.databaseUrl) throw new Error('bench:decision-log needs DATABASE_URL (Postgres)');
const serverUrl = config.databaseUrl;
const credentials = Object.assign(new URL(serverUrl), { password: '' });
const header = resultsHeader('Decision-log write rate and row size in Postgres', `DATABASE_URL=${credentials.toString()} npm run bench:decision-log`);
const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${DATABASE}` }).toString();

await withServer(serverUrl, async (admin) => {
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
});
const db = new PgDatabase({ connectionString: databaseUrl });
try {
  await migrate(db, MIGRATIONS_DIR);
  await ensureDecisionPartitions(db, new Date());
  const store = new PostgresDecisionStore(db);
  const surfaces = await loadSurfaces('bench/policies');
  const templates = await decisionTemplates(surfaces);
  const fresh = freshDecisions(templates);
  const serverVersion = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;

  const inserts: Run[] = [];
  for (const batch of BATCH_SIZES) {
    console.log(`insertMany, batches of ${batch}`);
    inserts.push(await timed(`insertMany, batch ${batch}, 1 writer`, 1, () => fresh(batch), (records) => store.insertMany(records)));
  }
  console.log(`insertMany, batches of 500, ${CONCURRENT_WRITERS} writers`);
  inserts.push(await timed(`insertMany, batch 500, ${CONCURRENT_WRITERS} writers`, CONCURRENT_WRITERS, () => fresh(500), (records) => store.insertMany(records)));
  console.log(`COPY, ${COPY_ROWS} rows`);
  const copy = await copyRun(fresh);

  const size = await rowSize();
  console.log('the sweeper: claim default rewards, mark learned');
  const sweep = await sweepRun(store);
  const redis = config.redisUrl === undefined ? undefined : await redisState(config.redisUrl, surfaces, fresh);
  await writeResults('decision-log.md', report({ serverVersion, inserts, copy, size, sweep, redis }));
} finally {
  await db.close();
  await withServer(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
}

/** Records exactly as `/choose` makes them for the benchmark surface, from the prior, no campaign arms. */
async function decisionTemplates(surfaces: SurfaceCatalog): Promise<NewDecision[]> {
  const models = new ModelCache(new InMemoryModelStateStore(), surfaces.list());
  await models.refresh();
  const records: NewDecision[] = [];
  const service = new DecisionService({
    surfaces,
    models,
    store: { findByEvent: async () => undefined },
    log: {
      write: async (record) => {
        records.push(record);
        return { status: 'inserted', id: record.id };
      },
    },
    campaigns: {
      eligibility: async (surface) => ({ eligible: surface.config.arms.map((arm) => arm.id), ineligible: {} }),
      reserve: async () => 'reserved',
    },
    now: () => new Date(),
  });
  for (const body of chooseBodies(TEMPLATES)) await service.choose(JSON.parse(body) as ChooseRequest);
  if (records[0]?.surface !== SURFACE || records[0].candidates.length !== 20) throw new Error(`expected ${SURFACE} decisions over 20 arms`);
  return records;
}

/** `next(n)`: n records cycled from the templates, each with a new id and time (1 ms apart) in today's partition. */
function freshDecisions(templates: readonly NewDecision[]): (count: number) => NewDecision[] {
  let made = 0;
  const start = Date.now();
  return (count) =>
    Array.from({ length: count }, () => {
      const template = templates[made % templates.length]!;
      const decidedAt = new Date(start + made++);
      const id = createDecisionId(decidedAt);
      const window = template.rewardBy.getTime() - template.decidedAt.getTime();
      return { ...template, id, decidedAt, seed: template.seed.replace(template.id, id), rewardBy: new Date(decidedAt.getTime() + window) };
    });
}

/** `writers` loops, each sending one batch at a time for RUN_S seconds. */
async function timed(how: string, writers: number, next: () => NewDecision[], insert: (records: NewDecision[]) => Promise<unknown>): Promise<Run> {
  let rows = 0;
  let payloadBytes = 0;
  const started = performance.now();
  const deadline = started + RUN_S * 1000;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < deadline) {
        const records = next();
        await insert(records);
        rows += records.length;
        payloadBytes += Buffer.byteLength(JSON.stringify(records.map(toNewDecisionRow)));
      }
    }),
  );
  return { how, rows, seconds: (performance.now() - started) / 1000, payloadBytes };
}

/** COPY_ROWS rows through `COPY … FROM STDIN (FORMAT csv)` on one connection, COPY_BATCH per statement. */
async function copyRun(next: (count: number) => NewDecision[]): Promise<Run> {
  const columns = Object.keys(toNewDecisionRow(next(1)[0]!));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let payloadBytes = 0;
  const started = performance.now();
  try {
    for (let copied = 0; copied < COPY_ROWS; copied += COPY_BATCH) {
      const lines = next(COPY_BATCH).map((record) => `${Object.values(toNewDecisionRow(record)).map(csvField).join(',')}\n`);
      payloadBytes += lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
      await pipeline(Readable.from(lines), client.query(copyFrom(`COPY decisions (${columns.join(', ')}) FROM STDIN (FORMAT csv)`)));
    }
  } finally {
    await client.end();
  }
  return { how: `COPY, ${COPY_BATCH} rows per statement, 1 writer`, rows: COPY_ROWS, seconds: (performance.now() - started) / 1000, payloadBytes };
}

/** One value as a CSV field of COPY: NULL unquoted and empty; text, arrays and JSON quoted. */
function csvField(value: unknown): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = Array.isArray(value)
    ? `{${value.map((element) => `"${String(element).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
  return `"${text.replaceAll('"', '""')}"`;
}

interface RowSize {
  rows: number;
  /** Mean pg_column_size of a whole row, as stored (after TOAST compression of large values). */
  rowBytes: number;
  /** Mean pg_column_size of the widest columns. */
  columns: Array<{ name: string; bytes: number }>;
  /** Per row: the partitions' tables (heap, TOAST, free-space and visibility maps), and their indexes. */
  tableBytes: number;
  indexBytes: number;
  indexes: Array<{ name: string; bytesPerRow: number }>;
}

async function rowSize(): Promise<RowSize> {
  await db.exec('VACUUM ANALYZE decisions');
  const { rows: [counts] } = await db.query<{ rows: number; row_bytes: number } & Record<(typeof WIDE_COLUMNS)[number], number>>(
    `SELECT count(*)::bigint AS rows, avg(pg_column_size(d.*))::float8 AS row_bytes,
            ${WIDE_COLUMNS.map((column) => `avg(pg_column_size(${column}))::float8 AS ${column}`).join(', ')}
       FROM decisions d`,
  );
  const partitions = `SELECT inhrelid FROM pg_inherits WHERE inhparent = 'decisions'::regclass`;
  const { rows: [sizes] } = await db.query<{ table_bytes: number; index_bytes: number }>(
    `SELECT sum(pg_table_size(inhrelid))::bigint AS table_bytes, sum(pg_indexes_size(inhrelid))::bigint AS index_bytes FROM (${partitions}) p`,
  );
  // Each index of the partitioned table has one index per partition, named after it.
  const { rows: perIndex } = await db.query<{ name: string; bytes: number }>(
    `SELECT parent.relname AS name, sum(pg_relation_size(child.oid))::bigint AS bytes
       FROM pg_inherits i
       JOIN pg_class parent ON parent.oid = i.inhparent AND parent.relkind = 'I'
       JOIN pg_class child ON child.oid = i.inhrelid
      WHERE parent.relname LIKE 'decisions%'
      GROUP BY parent.relname ORDER BY bytes DESC`,
  );
  const rows = counts!.rows;
  return {
    rows,
    rowBytes: counts!.row_bytes,
    columns: WIDE_COLUMNS.map((name) => ({ name, bytes: counts![name] })),
    tableBytes: sizes!.table_bytes / rows,
    indexBytes: sizes!.index_bytes / rows,
    indexes: perIndex.map(({ name, bytes }) => ({ name, bytesPerRow: bytes / rows })),
  };
}

/** The sweeper's Postgres writes for RUN_S seconds: claim SWEEP_BATCH default rewards, then mark each learned, one statement each (`DecisionLearner.learn`). */
async function sweepRun(store: PostgresDecisionStore): Promise<Run> {
  // Every window has closed a day later.
  const later = new Date(Date.now() + 86_400_000);
  let rows = 0;
  const started = performance.now();
  while (performance.now() < started + RUN_S * 1000) {
    const claimed = await store.claimDefaultRewards(later, SWEEP_BATCH, { [SURFACE]: 0 });
    for (const decision of claimed) await store.markLearned([decision.id], later);
    rows += claimed.length;
    if (claimed.length < SWEEP_BATCH) break;
  }
  return { how: `claimDefaultRewards of ${SWEEP_BATCH}, then markLearned per decision`, rows, seconds: (performance.now() - started) / 1000, payloadBytes: Number.NaN };
}

interface RedisState {
  serverVersion: string;
  learnedPerSecond: number;
  /** Redis CPU µs per call, from INFO commandstats around the runs (the whole server's calls of that command). */
  incrementUs: number;
  snapshotUs: number;
  /** Per model key: fields of its statistics hash and MEMORY USAGE bytes. */
  models: Array<{ key: string; fields: number; bytes: number }>;
  markerBytes: number;
  /** One HGETALL of a model's statistics, as a replica's refresh reads it: ms and bytes of fields and values. */
  snapshotMs: number;
  snapshotBytes: number;
}

/** LEARNED decisions taught one at a time with rewards 0 and 1 in turn, then the memory and read cost of what they left. */
async function redisState(redisUrl: string, surfaces: SurfaceCatalog, next: (count: number) => NewDecision[]): Promise<RedisState> {
  const prefix = `limelight-bench-decision-log-${process.pid}`;
  const modelStore = new RedisModelStateStore(redisUrl, prefix);
  const redis = new Redis(redisUrl);
  try {
    const models = new ModelCache(modelStore, surfaces.list());
    const decisions = next(LEARNED);
    const statsBefore = await commandStats(redis);
    const started = performance.now();
    for (const [i, decision] of decisions.entries()) {
      const model = models.byKey(decision.modelKey)!;
      const learned = { ...decision, activatedAt: null, reward: i % 2, rewardSource: 'observed' as const, rewardedAt: null, learnedAt: null };
      await modelStore.applyIncrement(model.key, decision.id, decision.arm, decisionIncrement(model, learned));
    }
    const learnedPerSecond = LEARNED / ((performance.now() - started) / 1000);
    const statsLearned = await commandStats(redis);
    const statisticsKeys = [...new Set(decisions.map((decision) => `${prefix}:{${decision.modelKey}}:statistics`))];
    const modelSizes = await Promise.all(
      statisticsKeys.map(async (key) => ({ key, fields: await redis.hlen(key), bytes: Number(await redis.memory('USAGE', key, 'SAMPLES', 0)) })),
    );
    const marker = `${prefix}:{${decisions[0]!.modelKey}}:learned:${decisions[0]!.id}`;
    const markerBytes = Number(await redis.memory('USAGE', marker));
    const readStarted = performance.now();
    let snapshot: Record<string, string> = {};
    for (let i = 0; i < SNAPSHOT_READS; i++) snapshot = await redis.hgetall(statisticsKeys[0]!);
    const snapshotMs = (performance.now() - readStarted) / SNAPSHOT_READS;
    const statsRead = await commandStats(redis);
    const snapshotBytes = Object.entries(snapshot).reduce((sum, [field, value]) => sum + field.length + value.length, 0);
    const serverVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
    return {
      serverVersion,
      learnedPerSecond,
      incrementUs: usPerCall(statsBefore, statsLearned, 'evalsha'),
      snapshotUs: usPerCall(statsLearned, statsRead, 'hgetall'),
      models: modelSizes,
      markerBytes,
      snapshotMs,
      snapshotBytes,
    };
  } finally {
    await redis.quit();
    await modelStore.close();
    await deleteKeysUnder(redisUrl, prefix);
  }
}

/** Calls and CPU µs per command since the server started, from `INFO commandstats`. */
async function commandStats(redis: Redis): Promise<Map<string, { calls: number; usec: number }>> {
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const match of (await redis.info('commandstats')).matchAll(/^cmdstat_(\S+?):calls=(\d+),usec=(\d+)/gm)) {
    stats.set(match[1]!, { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

function usPerCall(before: Map<string, { calls: number; usec: number }>, after: Map<string, { calls: number; usec: number }>, command: string): number {
  const from = before.get(command) ?? { calls: 0, usec: 0 };
  const to = after.get(command) ?? { calls: 0, usec: 0 };
  return (to.usec - from.usec) / (to.calls - from.calls);
}

function report(figures: { serverVersion: string; inserts: Run[]; copy: Run; size: RowSize; sweep: Run; redis: RedisState | undefined }): string {
  const { serverVersion, inserts, copy, size, sweep, redis } = figures;
  const baseline = inserts.find((run) => run.how.startsWith('insertMany, batch 500, 1 writer'))!;
  const rate = (run: Run) => run.rows / run.seconds;
  const row = (run: Run) => [
    run.how,
    String(run.rows),
    run.seconds.toFixed(1),
    rate(run).toFixed(0),
    Number.isNaN(run.payloadBytes) ? '—' : (run.payloadBytes / run.seconds / MB).toFixed(1),
    Number.isNaN(run.payloadBytes) ? '—' : (run.payloadBytes / run.rows).toFixed(0),
    ((rate(run) * (size.tableBytes + size.indexBytes)) / MB).toFixed(1),
    `${(rate(run) / rate(baseline)).toFixed(2)} ×`,
  ];
  return [
    header,
    `- Postgres ${serverVersion} on the same machine, reached over loopback; shared with other work, so rates are lower bounds`,
    `- rows: as \`DecisionService.choose\` makes them for \`${SURFACE}\` (bench/policies/, d = 16, 20 arms, LinUCB and LinTS 50/50) over ${TEMPLATES} seeded contexts, then cycled with fresh UUIDv7 ids 1 ms apart; no event ids (so no \`decision_events\` rows), no campaign arms`,
    `- every run lasts at most ${RUN_S} s (COPY: ${COPY_ROWS} rows); a writer has one statement in flight at a time, like one replica's group commit`,
    '',
    '## Insert rate',
    '',
    markdownTable(
      ['how', 'rows', 's', 'rows/s', 'payload MB/s', 'payload bytes/row', 'stored MB/s', 'vs insertMany 500 × 1'],
      [false, true, true, true, true, true, true, true],
      [...inserts, copy].map(row),
    ),
    '',
    'Payload: the JSON array parameter of the INSERT (`INSERT_DECISIONS_SQL`), or the CSV text of the COPY. Stored MB/s: rows/s × the table-and-index bytes per row below.',
    '',
    `## Row size (after the ${size.rows} rows above, \`VACUUM ANALYZE\`)`,
    '',
    markdownTable(
      ['measure', 'bytes per row'],
      [false, true],
      [
        ['`pg_column_size` of the row (mean)', size.rowBytes.toFixed(0)],
        ...size.columns.map(({ name, bytes }) => [`— column \`${name}\``, bytes.toFixed(0)]),
        ['table: `pg_table_size` of the partitions (heap, TOAST, maps) / rows', size.tableBytes.toFixed(0)],
        ['indexes: `pg_indexes_size` of the partitions / rows', size.indexBytes.toFixed(0)],
        ...size.indexes.map(({ name, bytesPerRow }) => [`— \`${name}\``, bytesPerRow.toFixed(0)]),
        ['**table + indexes**', `**${(size.tableBytes + size.indexBytes).toFixed(0)}**`],
      ],
    ),
    '',
    '## The two later writes of each row (reward sweeper)',
    '',
    markdownTable(['how', 'rows', 's', 'rows/s'], [false, true, true, true], [[sweep.how, String(sweep.rows), sweep.seconds.toFixed(1), rate(sweep).toFixed(0)]]),
    '',
    'Each decision is written three times: the INSERT, the reward (observed, or the default when its window closes) and `learned_at`. The sweeper, which gives most decisions their default reward, claims them 500 at a time but learns and marks each on its own (`DecisionLearner.learn`): marking a decision learned right after its increment keeps the learned count in the log ahead of the version of the model, which is how a replica detects a model that Redis lost (`ModelRecovery`). So this row is bounded by one round trip per decision.',
    '',
    '## What a learned decision leaves in Redis',
    '',
    redis === undefined
      ? 'Not measured: REDIS_URL was not set.'
      : [
          `Redis ${redis.serverVersion} on the same machine. ${LEARNED} of the rows above taught to \`RedisModelStateStore.applyIncrement\` one at a time (rewards 0 and 1 in turn), as \`DecisionLearner.learn\` does: **${redis.learnedPerSecond.toFixed(0)} increments/s** on one connection, one script round trip each; Redis spent **${redis.incrementUs.toFixed(1)} µs of CPU per increment** (\`INFO commandstats\`, \`evalsha\`, which counts the other clients of this Redis too).`,
          '',
          markdownTable(
            ['what', 'fields', 'bytes (`MEMORY USAGE`)'],
            [false, true, true],
            [
              ...redis.models.map(({ key, fields, bytes }) => [`statistics of \`${key.slice(key.indexOf('{'))}\``, String(fields), String(bytes)]),
              ['one decision\'s at-most-once marker (`…:learned:<id>`, kept 90 days)', '—', String(redis.markerBytes)],
            ],
          ),
          '',
          `A replica's snapshot read of one model (\`HGETALL\` of its statistics, which \`ModelCache.refresh\` makes for every model whose version changed, each MODEL_STALENESS_MS): ${redis.snapshotMs.toFixed(2)} ms at the client, **${redis.snapshotUs.toFixed(0)} µs of Redis CPU** (\`hgetall\`), and ${(redis.snapshotBytes / 1000).toFixed(0)} kB of field names and values (mean of ${SNAPSHOT_READS}).`,
        ].join('\n'),
  ].join('\n');
}
