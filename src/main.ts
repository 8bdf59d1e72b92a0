import { pino } from 'pino';
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
  const logger = pino({ level: config.logLevel });
  const service = await startService(config, { logger });
  logger.info(
    {
      url: service.url,
      database: config.databaseUrl ? 'postgres' : `embedded (${config.dataDir})`,
      modelStore: config.redisUrl ? 'redis' : 'in-process',
    },
    'limelight is listening',
  );
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'draining');
    await service.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

await main();
