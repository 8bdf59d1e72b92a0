import { describe, expect, it } from 'vitest';
import { highestLoadWithin, type SweepPoint } from '../../bench/http/latency-sweep.js';
import type { Measurement } from '../../bench/http/load.js';

const run = (p99: number, failures: Partial<Pick<Measurement, 'errors' | 'non2xx'>> = {}): Measurement => ({
  offered: 100,
  rps: 100,
  p50: 1,
  p99,
  p999: p99,
  non2xx: failures.non2xx ?? 0,
  errors: failures.errors ?? 0,
});

const point = (fraction: number, p99s: number[], failures: Partial<Pick<Measurement, 'errors' | 'non2xx'>> = {}): SweepPoint => ({
  fraction,
  rate: fraction * 1000,
  runs: { service: p99s.map((p99) => run(p99, failures)) },
  serviceCpu: { cpuSeconds: 0, wallSeconds: 0 },
});

describe('highestLoadWithin', () => {
  it('is the highest load whose every run kept its p99 under the bound', () => {
    const sweep = [point(0.1, [3, 4]), point(0.2, [5, 9.9]), point(0.3, [8, 10])];
    expect(highestLoadWithin(sweep, 'service', 10)?.fraction).toBe(0.2);
  });

  it('stops at the first load that missed, however a higher one went', () => {
    const sweep = [point(0.1, [3]), point(0.2, [12]), point(0.3, [4])];
    expect(highestLoadWithin(sweep, 'service', 10)?.fraction).toBe(0.1);
  });

  it('counts a load with failed requests as missed', () => {
    const sweep = [point(0.1, [3]), point(0.2, [4], { errors: 1 }), point(0.3, [4], { non2xx: 2 })];
    expect(highestLoadWithin(sweep, 'service', 10)?.fraction).toBe(0.1);
    expect(highestLoadWithin([point(0.1, [3], { non2xx: 1 })], 'service', 10)).toBeUndefined();
  });

  it('is undefined when the lowest load missed or the target has no runs', () => {
    expect(highestLoadWithin([point(0.1, [11]), point(0.2, [3])], 'service', 10)).toBeUndefined();
    expect(highestLoadWithin([point(0.1, [3])], 'bare', 10)).toBeUndefined();
    expect(highestLoadWithin([point(0.1, [Number.NaN])], 'service', 10)).toBeUndefined();
  });
});
