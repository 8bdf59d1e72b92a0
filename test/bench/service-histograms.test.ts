import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { difference, parseHistograms, sharesWithin } from '../../bench/http/service-histograms.js';

describe('service histograms (bench:http)', () => {
  it('sums a histogram over its labels and takes the shares between two readings', async () => {
    const registry = new Registry();
    const seconds = new Histogram({ name: 'x_seconds', help: 'x', labelNames: ['surface'], buckets: [0.001, 0.01], registers: [registry] });
    const other = new Histogram({ name: 'x_seconds_other', help: 'y', buckets: [0.001], registers: [registry] });
    seconds.observe({ surface: 'home' }, 0.0005);
    const before = parseHistograms(await registry.metrics(), ['x_seconds']).get('x_seconds')!;
    seconds.observe({ surface: 'home' }, 0.005);
    seconds.observe({ surface: 'browse' }, 0.0002);
    seconds.observe({ surface: 'browse' }, 0.5);
    other.observe(0.0001);
    const after = parseHistograms(await registry.metrics(), ['x_seconds']).get('x_seconds')!;

    expect(after.count).toBe(4);
    expect(after.sum).toBeCloseTo(0.5057, 10);
    expect(after.buckets.get('0.001')).toBe(2);
    expect(after.buckets.get('+Inf')).toBe(4);
    const between = difference(before, after);
    expect(between.count).toBe(3);
    expect(sharesWithin(between, ['0.001', '0.01'])).toEqual([
      ['0.001', 1 / 3],
      ['0.01', 2 / 3],
    ]);
  });
});
