import { createLogger } from './logger.js';
import { ConfigError, loadConfig } from './config.js';
import { startService } from './service.js';

/** Process entry: start the service, and on SIGTERM/SIGINT drain it before exiting. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`limelight: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
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
  // Exit 0 only once every accepted request is answered and every accepted decision committed.
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'draining');
    try {
      await service.close();
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

await main();
