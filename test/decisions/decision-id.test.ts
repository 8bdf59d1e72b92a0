import { describe, expect, it } from 'vitest';
import { createDecisionId, decisionIdTimestamp } from '../../src/decisions/decision-id.js';

describe('createDecisionId', () => {
  it('reproduces the UUIDv7 example of RFC 9562, appendix A.6', () => {
    // Timestamp 0x017F22E279B0 ms = 2022-02-22T19:22:22Z; the random bits are the example's
    // rand_a 0xCC3 and rand_b 0x18C4DC0C0C07398F, with version and variant bits set by the function.
    const random = () => Uint8Array.from([0x0c, 0xc3, 0x98, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f]);
    const id = createDecisionId(new Date(0x017f22e279b0), random);
    expect(id).toBe('017f22e2-79b0-7cc3-98c4-dc0c0c07398f');
    expect(decisionIdTimestamp(id)).toEqual(new Date('2022-02-22T19:22:22.000Z'));
  });

  it('round-trips the millisecond timestamp and sets version 7 and the RFC variant', () => {
    const decidedAt = new Date('2030-01-10T12:34:56.789Z');
    const id = createDecisionId(decidedAt);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(decisionIdTimestamp(id)).toEqual(decidedAt);
  });

  it('refuses an invalid date', () => {
    expect(() => createDecisionId(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('decisionIdTimestamp', () => {
  it.each([
    ['not-a-uuid'],
    ['017f22e2-79b0-4cc3-98c4-dc0c0c07398f'], // version 4
    ['017f22e2-79b0-7cc3-18c4-dc0c0c07398f'], // not the RFC variant
    // Found by test/auth/hostile-requests.test.ts: year 10889, which Postgres could not parse (a 500).
    ['ffffffff-ffff-7fff-bfff-ffffffffffff'],
  ])('is undefined for %s', (id) => {
    expect(decisionIdTimestamp(id)).toBeUndefined();
  });
});
