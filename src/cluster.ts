import cluster, { type Worker } from 'node:cluster';
import { ConfigError, type Config } from './config.js';
import { configOrExit } from './config-or-exit.js';
import { createLogger } from './logger.js';

/** The first restart after a crash waits this long, doubling with each further crash in CRASH_WINDOW_MS. */
const RESTART_MIN_MS = 100;
const RESTART_MAX_MS = 5_000;
const CRASH_WINDOW_MS = 60_000;

/**
 * `npm run cluster`: REPLICAS service processes on one machine, all on PORT. Node's cluster primary
 * accepts each connection and hands it to the workers in turn (round-robin); every worker is `main.ts`,
 * so it starts, serves and drains exactly as a single replica does. Workers share state only through
 * Postgres and Redis, hence both are required.
 */
if (cluster.isWorker) {
  await import('./main.js');
} else {
  runPrimary(configOrExit(requireSharedStores));
}

function requireSharedStores(config: Config): void {
  // The embedded database and the in-process model state belong to one process: workers would each
  // have their own, and learn and log apart.
  if (!config.databaseUrl || !config.redisUrl) {
    throw new ConfigError('npm run cluster needs DATABASE_URL (Postgres) and REDIS_URL (Redis), which every worker shares');
  }
}

/**
 * Forks the workers and replaces one that dies, after a backoff that grows while they keep crashing.
 * On SIGTERM or SIGINT it sends SIGTERM to every worker, and exits 0 only when each has drained (exited
 * 0) or was stopped before it listened, so had accepted nothing; otherwise 1.
 */
function runPrimary(config: Config): void {
  const logger = createLogger(config.logLevel);
  // The default everywhere but Windows; stated because the even spread across workers depends on it.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  const crashes: number[] = [];
  let shuttingDown = false;
  let failed = 0;

  const fork = () => alive.add(cluster.fork());
  const finishIfDrained = () => {
    if (alive.size > 0) return;
    logger.info({ failed }, failed === 0 ? 'every replica drained' : 'some replicas did not drain');
    process.exit(failed === 0 ? 0 : 1);
  };
  const restartDelay = () => {
    const now = Date.now();
    crashes.push(now);
    while (crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift();
    return Math.min(RESTART_MIN_MS * 2 ** (crashes.length - 1), RESTART_MAX_MS);
  };

  cluster.on('listening', (worker) => listening.add(worker));
  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    const served = listening.delete(worker);
    if (shuttingDown) {
      if (code !== 0 && (served || signal !== 'SIGTERM')) failed += 1;
      finishIfDrained();
      return;
    }
    const restartInMs = restartDelay();
    logger.error({ worker: worker.process.pid, code, signal, restartInMs }, 'replica exited unexpectedly; starting another');
    setTimeout(() => shuttingDown || fork(), restartInMs);
  });

  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, replicas: alive.size }, 'draining every replica');
    for (const worker of alive) worker.process.kill('SIGTERM');
    finishIfDrained();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  logger.info({ replicas: config.replicas, port: config.port }, 'starting replicas');
  for (let i = 0; i < config.replicas; i++) fork();
}
