import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS_DIR } from '../db/migrations-dir.js';
import { openDatabase } from '../db/open-database.js';
import { PostgresDecisionStore } from '../decisions/postgres-decision-store.js';
import { ModelCache } from '../model-state/model-cache.js';
import { RedisModelStateStore } from '../model-state/redis-model-state-store.js';
import { maxRelativeDifference, rebuildModel, restoreModel } from '../model-state/rebuild-model.js';
import { loadSurfaces } from '../surfaces/load-surfaces.js';

const HELP = `Usage: npm run rebuild -- --surface ID [--write] [--format table|json]

Recomputes every model of a surface from the decision log (DATABASE_URL) and compares it with the
live statistics in Redis (REDIS_URL).

  --surface ID   the surface whose models to rebuild (required)
  --write        replace the Redis statistics with the rebuilt ones and mark the folded decisions
                 learned (for recovery after Redis lost its data; pause reward traffic while it runs)
  --format F     table (default) or json
  --help         this text

Exit status: 0 when every model agrees with Redis to 1e-9 relative (or --write was given), 1 otherwise,
2 on a usage error.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      surface: { type: 'string' },
      write: { type: 'boolean', default: false },
      format: { type: 'string', default: 'table' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = loadConfig();
  if (!values.surface) return usage('--surface is required');
  if (values.format !== 'table' && values.format !== 'json') return usage(`--format must be table or json, got "${values.format}"`);
  if (!config.databaseUrl || !config.redisUrl) {
    return usage('DATABASE_URL and REDIS_URL must be set (the embedded service rebuilds its in-process model at start-up)');
  }
  const surfaces = await loadSurfaces(config.policiesDir);
  const surface = surfaces.get(values.surface);
  if (!surface) return usage(`surface "${values.surface}" does not exist in ${config.policiesDir}`);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const modelStore = new RedisModelStateStore(config.redisUrl, config.redisKeyPrefix);
  try {
    await migrate(database, MIGRATIONS_DIR);
    const store = new PostgresDecisionStore(database);
    const models = new ModelCache(modelStore, [surface]);
    const rows = [];
    for (const model of models.all()) {
      const live = await modelStore.read(model.key, model.policy.learner.statisticsLength);
      const rebuilt = values.write ? await restoreModel(model, store, modelStore, new Date()) : await rebuildModel(model, store);
      const difference = maxRelativeDifference(rebuilt.arms, live.arms);
      rows.push({ model: model.key, decisions: rebuilt.decisions, liveVersion: live.version, maxRelativeDifference: difference });
    }
    if (values.format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else console.table(rows);
    return values.write || rows.every((row) => row.maxRelativeDifference <= 1e-9) ? 0 : 1;
  } finally {
    await modelStore.close();
    await database.close();
  }
}

function usage(message: string): number {
  process.stderr.write(`rebuild: ${message}\n\n${HELP}\n`);
  return 2;
}

process.exitCode = await main();
