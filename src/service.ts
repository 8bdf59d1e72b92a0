import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from 'pino';
import { createConfigReloader } from './admin/reload-config.js';
import { createApp, metricsHandler } from './app.js';
import { generateApiKey } from './auth/api-key.js';
import { ApiKeyService } from './auth/api-key-service.js';
import { createAuth } from './auth/auth-middleware.js';
import { PostgresApiKeyStore } from './auth/postgres-api-key-store.js';
import { TokenBucketLimiter } from './auth/token-bucket-limiter.js';
import { createCampaigns, type Campaigns } from './campaigns/campaigns.js';
import { closeServer } from './close-server.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { MIGRATIONS_DIR } from './db/migrations-dir.js';
import { openDatabase } from './db/open-database.js';
import { ensureDecisionPartitions } from './db/partitions.js';
import { DecisionLogWriter } from './decisions/decision-log-writer.js';
import { DecisionService } from './decisions/decision-service.js';
import { PostgresDecisionStore } from './decisions/postgres-decision-store.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { InMemoryModelStateStore } from './model-state/in-memory-model-state-store.js';
import { ModelCache, type LiveModel } from './model-state/model-cache.js';
import { ModelRecovery } from './model-state/model-recovery.js';
import type { ModelStateStore } from './model-state/model-state-store.js';
import { RedisModelStateStore } from './model-state/redis-model-state-store.js';
import { restoreModel } from './model-state/rebuild-model.js';
import { rebuildSurface } from './model-state/rebuild-surface.js';
import { buildReport } from './reports/build-report.js';
import { rollUpReportDays } from './reports/report-rollup.js';
import { DecisionLearner } from './rewards/decision-learner.js';
import { RewardService } from './rewards/reward-service.js';
import { RewardSweeper } from './rewards/reward-sweeper.js';
import { repeatEvery } from './repeat-every.js';
import { loadSurfaces } from './surfaces/load-surfaces.js';
import { ReloadableSurfaceCatalog } from './surfaces/surface-catalog.js';

const DAY_MS = 86_400_000;
/** How often settled days are rolled up for the report; the days since are scanned, so this bounds nothing but speed. */
const REPORT_ROLLUP_INTERVAL_MS = 5 * 60_000;
/** How long a shutdown waits for requests in flight before cutting their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningService {
  url: string;
  server: Server;
  database: Database;
  modelStore: ModelStateStore;
  models: ModelCache;
  sweeper: RewardSweeper;
  campaigns: Campaigns;
  logger: Logger;
  /** Where `/metrics` is served when METRICS_PORT gives it a port of its own. */
  metricsUrl: string | undefined;
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
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  // Every component reads this one catalog, so `POST /admin/reload` reaches them all by replacing its contents.
  const surfaces = new ReloadableSurfaceCatalog(await loadSurfaces(config.policiesDir));
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (error) => logger.error({ err: error }, 'idle database client failed'),
  });
  await migrate(database, MIGRATIONS_DIR);
  await ensureDecisionPartitions(database, now());
  const store = new PostgresDecisionStore(database);
  const redisStore = config.redisUrl ? new RedisModelStateStore(config.redisUrl, config.redisKeyPrefix) : undefined;
  const modelStore: ModelStateStore = redisStore ?? new InMemoryModelStateStore();
  const models = new ModelCache(modelStore, surfaces.list());
  // Redis may lose models (a restart without persistence, a failover); the log restores them.
  const recovery = redisStore && new ModelRecovery({ models, modelStore: redisStore, store, now, logger });
  if (!config.redisUrl) {
    // The in-process model state died with the last process; the log holds everything it had learned.
    for (const model of models.all()) await restoreModel(model, store, modelStore, now());
  }
  await (recovery ? recovery.refresh() : models.refresh());
  const metrics = new Metrics(() => log.queueDepth);
  const log = new DecisionLogWriter(store, {
    onCommitted: (rows, seconds) => {
      metrics.logBatchRows.observe(rows);
      metrics.logBatchSeconds.observe(seconds);
    },
  });
  const campaigns = await createCampaigns({ surfaces, database, redisUrl: config.redisUrl, redisKeyPrefix: config.redisKeyPrefix, now });
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
    // The activation is recorded either way; an impression the counters missed (Redis away) is logged.
    onActivated: (decision) =>
      campaigns.eligibility.activated(decision, now()).catch((error: unknown) =>
        logger.warn({ err: error, decisionId: decision.id }, 'impression of an activated decision not counted'),
      ),
    onOutcome: (outcome, decision) =>
      metrics.rewards.inc({ surface: decision?.surface ?? '', policy: decision?.policyArm ?? '', outcome }),
  });
  const decisions = new DecisionService({ surfaces, models, store, log, campaigns: campaigns.eligibility, now });
  const sweeper = new RewardSweeper({ surfaces, store, learner, now, logger });
  const keys = new ApiKeyService({
    store: new PostgresApiKeyStore(database),
    bootstrapKey: config.adminApiKey ?? (config.databaseUrl ? undefined : developmentKey(logger)),
    cacheMs: config.apiKeyCacheMs,
    now,
  });
  const reload = createConfigReloader({
    policiesDir: config.policiesDir,
    surfaces,
    models,
    campaigns,
    ...(recovery
      ? { lostModels: () => recovery.lostKeys, onReloaded: () => recovery.recheck() }
      : { restoreNew: (model: LiveModel) => restoreModel(model, store, modelStore, now()) }),
  });
  const auth = createAuth({ keys, limiter: new TokenBucketLimiter(config.rateLimitPerSecond, config.rateLimitBurst) });
  const app = createApp({
    decisions,
    rewards,
    store,
    surfaces,
    metrics,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    auth,
    campaigns: campaigns.routes(auth),
    admin: { keys, surfaces, rebuildSurface: (surfaceId) => rebuildSurface(surfaceId, { models, store, modelStore, now }), reload },
    serveMetrics: config.metricsPort === undefined,
    report: (surface, request) => buildReport(database, surface, { ...request, now: now() }),
    readiness: async () => ({
      database: await database.query('SELECT 1').then(() => true, () => false),
      modelStore: await modelStore.ping(),
    }),
  });
  const server = await listen(app, config.port);
  const metricsServer = config.metricsPort === undefined ? undefined : await listen(express().get('/metrics', metricsHandler(metrics)), config.metricsPort);
  const stopPartitionUpkeep = repeatEvery(DAY_MS / 4, () => ensureDecisionPartitions(database, now()), (error) =>
    logger.error({ err: error }, 'partition upkeep failed'),
  );
  const stopReportRollup = repeatEvery(REPORT_ROLLUP_INTERVAL_MS, () => rollUpReportDays(database, surfaces.list(), now()), (error) =>
    logger.warn({ err: error }, 'report rollup failed; the report scans the days not rolled up'),
  );
  if (options.timers ?? true) {
    (recovery ?? models).start(config.modelStalenessMs, (error) => logger.warn({ err: error }, 'model refresh failed; serving the last snapshot'));
    sweeper.start(config.sweepIntervalMs);
    campaigns.start(logger);
  }
  return {
    url: localUrl(server),
    metricsUrl: metricsServer && localUrl(metricsServer),
    server,
    database,
    modelStore,
    models,
    sweeper,
    campaigns,
    logger,
    async close() {
      await Promise.all([server, metricsServer].map((open) => open && closeServer(open, SHUTDOWN_GRACE_MS)));
      stopPartitionUpkeep();
      stopReportRollup();
      recovery?.stop();
      models.stop();
      sweeper.stop();
      await log.close();
      await campaigns.close();
      await modelStore.close();
      await database.close();
    },
  };
}

function listen(listener: RequestListener, port: number): Promise<Server> {
  return new Promise<Server>((resolve) => {
    const listening = createServer(listener).listen(port, () => resolve(listening));
  });
}

const localUrl = (server: Server): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/**
 * The embedded demo without ADMIN_API_KEY gets a fresh key with every scope, printed once here so that
 * whoever started it can call the API. It is the only key ever logged, and it lives in this process only.
 */
function developmentKey(logger: Logger): string {
  const key = generateApiKey();
  logger.warn({ developmentApiKey: key }, 'DEVELOPMENT API KEY (embedded demo only, every scope, valid until exit): set ADMIN_API_KEY to choose your own');
  return key;
}
