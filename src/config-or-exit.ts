import { ConfigError, loadConfig, type Config } from './config.js';

/**
 * The configuration of a process entry, or exit code 2 with the message on stderr: a bad setting is the
 * operator's to fix, so it gets one line naming the variable, not a stack trace. `check` adds what one
 * entry needs beyond `loadConfig` (it throws ConfigError too).
 */
export function configOrExit(check: (config: Config) => void = () => {}): Config {
  try {
    const config = loadConfig();
    check(config);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`limelight: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
