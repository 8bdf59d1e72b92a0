import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createContextEncoder } from '../../src/learners/context-encoder.js';
import { readBanditStream } from '../../src/replay/bandit-stream.js';
import { streamSurface } from '../../src/simulation/stream-surface.js';
import { buildSurface } from '../../src/surfaces/surface.js';

/** The first 3,000 rounds of the shared linear-synth stream, whose last context column x_10 is 1. */
const FIXTURE = fileURLToPath(new URL('../fixtures/linear-synth-head.csv', import.meta.url));

describe('streamSurface', () => {
  it('serves a stream as a valid surface, leaving out the intercept column that the encoder adds itself', async () => {
    const stream = await readBanditStream(FIXTURE);
    const surface = streamSurface(stream, 5);
    expect(() => buildSurface(surface.config, 'stream')).not.toThrow();
    expect(surface.config.features.map((feature) => feature.name)).toEqual(['x_0', 'x_1', 'x_2', 'x_3', 'x_4', 'x_5', 'x_6', 'x_7', 'x_8', 'x_9']);
    expect(surface.config.arms.map((arm) => arm.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(surface.config.reward).toEqual({ type: 'binary', attributionWindowSeconds: 5, default: 0 });
    expect(surface.config.randomization).toBe('request');
    // Encoded: the stream's own vector with its intercept moved to the front.
    const row = stream.contexts[7]!;
    const encoded = createContextEncoder(surface.config.features).encode(surface.context(7));
    expect([...encoded]).toEqual([row[10], ...row.slice(0, 10)]);
  });

  it('keeps a column that is not 1 in every row', () => {
    const stream = { contextNames: ['x_0', 'x_1'], contexts: [Float64Array.of(1, 0), Float64Array.of(0.5, 0)], rewards: [Float64Array.of(0, 1)], armCount: 2 };
    expect(streamSurface(stream, 5).context(1)).toEqual({ x_0: 0.5, x_1: 0 });
  });

  it('refuses a round outside the stream', async () => {
    const stream = { contextNames: ['x_0'], contexts: [Float64Array.of(2)], rewards: [Float64Array.of(0, 1)], armCount: 2 };
    expect(() => streamSurface(stream, 5).context(1)).toThrow(new RangeError("round 1 is outside the stream's 1 rounds"));
  });
});
