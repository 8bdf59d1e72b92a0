import { withServer } from '../../src/simulation/scratch-backends.js';
import { measurement, type Measurement } from './load.js';

/**
 * The floor under every `/choose` answer: a one-row INSERT committed on its own (autocommit, so one
 * WAL flush each), back to back for `seconds` on one connection to `databaseUrl`. Its latencies are
 * what a decision waits for when its batch holds one row.
 */
export async function commitLatency(databaseUrl: string, seconds: number): Promise<Measurement> {
  return withServer(databaseUrl, async (client) => {
    // A regular table: a temporary one is not WAL-logged, so its commits would not wait for a flush.
    await client.query('CREATE TABLE commit_probe (decided_at timestamptz NOT NULL)');
    const latencies: number[] = [];
    const start = performance.now();
    const end = start + seconds * 1000;
    while (performance.now() < end) {
      const sent = performance.now();
      await client.query('INSERT INTO commit_probe VALUES (now())');
      latencies.push(performance.now() - sent);
    }
    const rate = latencies.length / ((performance.now() - start) / 1000);
    await client.query('DROP TABLE commit_probe');
    return measurement(undefined, rate, latencies, 0, 0);
  });
}
