import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tallyCpu, type CpuTally } from '../../bench/http/cpu-per-request.js';

/** Keeps this process's CPU busy for `ms` milliseconds. */
async function spin(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** An idle wait of `ms` milliseconds. */
const idle = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.runIf(existsSync('/proc/self/stat'))('tallyCpu', () => {
  it('adds up the CPU time and the wall time of each run it measures', async () => {
    const tally: CpuTally = { cpuSeconds: 0, wallSeconds: 0 };
    await tallyCpu(process.pid, tally, () => spin(150));
    await tallyCpu(process.pid, tally, () => spin(150));
    expect(tally.wallSeconds).toBeGreaterThanOrEqual(0.3);
    // A spinning run uses CPU for most of its time (/proc counts in 10 ms ticks; other test files share the CPUs).
    expect(tally.cpuSeconds).toBeGreaterThan(0.05);
  });

  it('counts the wall time of an idle run but next to no CPU', async () => {
    const tally: CpuTally = { cpuSeconds: 0, wallSeconds: 0 };
    await tallyCpu(process.pid, tally, () => idle(300));
    expect(tally.wallSeconds).toBeGreaterThanOrEqual(0.29);
    expect(tally.cpuSeconds).toBeLessThan(0.1);
  });
});
