import { configOrExit } from './config-or-exit.js';
import { createLogger } from './logger.js';
import { startService } from './service.js';

/** Process entry: start the service, and on SIGTERM/SIGINT drain it before exiting. */
async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  const service = await startService(config, { logger });
  logger.info(
    {
      url: service.url,
      database: config.databaseUrl ? 'postgres' : `embedded (${config.dataDir})`,
      modelStore: config.redisUrl ? 'redis' : 'in-process',
    },
    'limelight is listening',
  );
  // Exit 0 only once every accepted request is answered and every accepted decision committed. A second
  // signal joins the drain in progress: a terminal's Ctrl-C reaches a cluster's workers and its primary,
  // which forwards a SIGTERM to each of them.
  let draining = false;
  const shutdown = async (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info({ signal }, 'draining');
    try {
      await service.close();
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
