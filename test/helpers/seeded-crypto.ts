import { seededRandom } from '../../src/stats/random.js';

/**
 * `node:crypto` with `randomFillSync` drawing from a generator seeded with `seed`, for a test's
 * `vi.mock('node:crypto', …)`: decision ids take their random bits from it, and every draw of a decision
 * is seeded by its id, so a statistical test over decisions draws the same seeds run after run instead
 * of failing a correct service by one run's bad luck.
 */
export function seededCrypto(crypto: typeof import('node:crypto'), seed: string): typeof import('node:crypto') {
  const random = seededRandom(seed);
  const randomFillSync = <T extends NodeJS.ArrayBufferView>(buffer: T): T => {
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(256 * random());
    return buffer;
  };
  return { ...crypto, default: { ...crypto, randomFillSync }, randomFillSync } as typeof import('node:crypto');
}
