import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { MIGRATIONS_DIR } from './db/migrations-dir.js';
import { openDatabase } from './db/open-database.js';
import { ensureDecisionPartitions } from './db/partitions.js';
import { DecisionLogWriter } from './decisions/decision-log-writer.js';
import { DecisionService } from './decisions/decision-service.js';
import { PostgresDecisionStore } from './decisions/postgres-decision-store.js';
import { Metrics } from './metrics.js';
import { InMemoryModelStateStore } from './model-state/in-memory-model-state-store.js';
import { ModelCache } from './model-state/model-cache.js';
import type { ModelStateStore } from './model-state/model-state-store.js';
import { RedisModelStateStore } from './model-state/redis-model-state-store.js';
import { restoreModel } from './model-state/rebuild-model.js';
import { DecisionLearner } from './rewards/decision-learner.js';
import { RewardService } from './rewards/reward-service.js';
import { RewardSweeper } from './rewards/reward-sweeper.js';
import { repeatEvery } from './repeat-every.js';
import { loadSurfaces } from './surfaces/load-surfaces.js';

const DAY_MS = 86_400_000;

export interface RunningService {
  url: string;
  server: Server;
  database: Database;
  modelStore: ModelStateStore;
  models: ModelCache;
  sweeper: RewardSweeper;
  logger: Logger;
  /** Stops accepting requests, commits what is queued, stops the timers and closes the connections. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  now?: () => Date;
  /** Start the model refresh and reward sweep timers (tests drive them by hand). Default true. */
  timers?: boolean;
}

/**
 * The composition root: configuration → database (migrated under an advisory lock) → stores → model
 * cache → services → app → listening server. Several of these can run in one process (the replica tests).
 */
export async function startService(config: Config, options: StartOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const now = options.now ?? (() => new Date());
  const surfaces = await loadSurfaces(config.policiesDir);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (error) => logger.error({ err: error }, 'idle database client failed'),
  });
  await migrate(database, MIGRATIONS_DIR);
  await ensureDecisionPartitions(database, now());
  const store = new PostgresDecisionStore(database);
  const modelStore: ModelStateStore = config.redisUrl ? new RedisModelStateStore(config.redisUrl, config.redisKeyPrefix) : new InMemoryModelStateStore();
  const models = new ModelCache(modelStore, surfaces.list());
  if (!config.redisUrl) {
    // The in-process model state died with the last process; the log holds everything it had learned.
    for (const model of models.all()) await restoreModel(model, store, modelStore, now());
  }
  await models.refresh();
  const log = new DecisionLogWriter(store);
  const metrics = new Metrics(() => log.queueDepth);
  const learner = new DecisionLearner({
    models,
    modelStore,
    store,
    now,
    logger,
    onLearned: (decision) => metrics.rewards.inc({ surface: decision.surface, policy: decision.policyArm, outcome: 'learned' }),
  });
  const rewards = new RewardService({
    surfaces,
    store,
    learner,
    now,
    onOutcome: (outcome, decision) =>
      metrics.rewards.inc({ surface: decision?.surface ?? '', policy: decision?.policyArm ?? '', outcome }),
  });
  const decisions = new DecisionService({ surfaces, models, store, log, now });
  const sweeper = new RewardSweeper({ surfaces, store, learner, now, logger });
  const app = createApp({
    decisions,
    rewards,
    store,
    surfaces,
    metrics,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    readiness: async () => ({
      database: await database.query('SELECT 1').then(() => true, () => false),
      modelStore: await modelStore.ping(),
    }),
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(config.port, () => resolve(listening));
  });
  const stopPartitionUpkeep = repeatEvery(DAY_MS / 4, () => ensureDecisionPartitions(database, now()), (error) =>
    logger.error({ err: error }, 'partition upkeep failed'),
  );
  if (options.timers ?? true) {
    models.start(config.modelStalenessMs, (error) => logger.warn({ err: error }, 'model refresh failed; serving the last snapshot'));
    sweeper.start(config.sweepIntervalMs);
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    database,
    modelStore,
    models,
    sweeper,
    logger,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      stopPartitionUpkeep();
      models.stop();
      sweeper.stop();
      await log.close();
      await modelStore.close();
      await database.close();
    },
  };
}
