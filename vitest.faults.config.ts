import { defineConfig } from 'vitest/config';

/**
 * The fault-injection suite (`npm run test:faults`): it starts its own Postgres and Redis on spare
 * loopback ports and the service as child processes, then kills, stops and restarts them under load.
 * One file at a time, since every scenario owns the machine's two cores while it runs.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
