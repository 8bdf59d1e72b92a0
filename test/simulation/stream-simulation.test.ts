import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBanditStream } from '../../src/replay/bandit-stream.js';
import { runStreamSimulation } from '../../src/simulation/stream-simulation.js';
import { requirePostgres } from '../helpers/test-database.js';
import { requireRedis } from '../helpers/test-service.js';

/**
 * The stream mode end to end on 300 rows: two replica processes on real Postgres and Redis. Without
 * DATABASE_URL and REDIS_URL this is skipped locally; in CI both helpers throw.
 */
const serverUrl = requirePostgres();
const redisUrl = requireRedis();
const FIXTURE = fileURLToPath(new URL('../fixtures/linear-synth-head.csv', import.meta.url));
const ROUNDS = 300;

describe.runIf(serverUrl !== undefined && redisUrl !== undefined)('runStreamSimulation', () => {
  it('keeps the books: every decision logged, duplicates refused, every reward learned exactly once', async () => {
    const stream = await readBanditStream(FIXTURE);
    const result = await runStreamSimulation({
      stream,
      rounds: ROUNDS,
      concurrency: 8,
      // Many retries, so that duplicates certainly occur (about 0.2 × 180 posted ≈ 36).
      schedule: { meanDelayMs: 100, silentNonClick: 0.5, lost: 0.05, duplicate: 0.2 },
      attributionWindowSeconds: 1,
      modelStalenessMs: 100,
      sweepIntervalMs: 200,
      seed: 'stream-simulation-test',
      serverUrl: serverUrl!,
      redisUrl: redisUrl!,
    });
    const { tally, ledger } = result;

    expect(tally.decisions.map((decision) => decision.round)).toEqual(Array.from({ length: ROUNDS }, (_, t) => t));
    for (const decision of tally.decisions) expect(decision.reward).toBe(stream.rewards[decision.round]![decision.arm]);
    expect(ledger.found).toBe(ROUNDS);
    expect(ledger.policyArms.reduce((sum, row) => sum + row.decisions, 0)).toBe(ROUNDS);

    expect(tally.duplicatesRefused).toBeGreaterThan(0);
    expect(ledger.duplicates).toBe(tally.duplicatesRefused);
    expect(tally.recordedTwice).toBe(0);

    // Every recorded post is an observed reward; every other decision got the default when its window closed.
    const observed = ledger.policyArms.reduce((sum, row) => sum + row.observed, 0);
    expect(observed).toBe(tally.recorded);
    for (const row of ledger.policyArms) {
      expect(row.observed + row.defaulted).toBe(row.decisions);
      expect(row.pending).toBe(0);
      expect(row.learned).toBe(row.decisions);
      // One increment per decision in Redis: nothing learned twice, nothing left out.
      expect(row.modelVersion).toBe(row.learned);
    }

    expect(result.policyArms.map(({ comparison }) => comparison.policy)).toEqual(['linucb', 'lints', 'control']);
    for (const { comparison, serviceRewards, inProcessRewards } of result.policyArms) {
      expect(comparison.decisions).toBe(ledger.policyArms.find((row) => row.policy === comparison.policy)!.decisions);
      expect(inProcessRewards).toHaveLength(serviceRewards.length);
    }
  }, 60_000);
});
