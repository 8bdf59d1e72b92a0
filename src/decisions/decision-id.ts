import { randomFillSync } from 'node:crypto';

const UUID_V7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * A UUIDv7 (RFC 9562 §5.7) whose 48-bit Unix-millisecond prefix is `decidedAt`: ids sort by time, and
 * the id alone tells which `decisions` partition holds the row. The remaining 74 bits are random.
 * @throws RangeError when `decidedAt` is not a valid date.
 */
export function createDecisionId(decidedAt: Date, random: (size: number) => Uint8Array = pooledRandomBytes): string {
  const ms = decidedAt.getTime();
  if (!Number.isInteger(ms) || ms < 0) {
    throw new RangeError(`decidedAt must be a date after 1970, got ${String(decidedAt)}`);
  }
  const bytes = new Uint8Array(16);
  bytes.set(random(10), 6);
  for (let i = 5; i >= 0; i--) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) % 256;
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Cryptographic random bytes handed out from a pool refilled 4 kB at a time, as `crypto.randomUUID` does. */
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

function pooledRandomBytes(size: number): Uint8Array {
  if (poolOffset + size > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += size;
  return pool.subarray(poolOffset - size, poolOffset);
}

/** The decision time encoded in a decision id, or undefined when `id` is not a UUIDv7. */
export function decisionIdTimestamp(id: string): Date | undefined {
  const match = UUID_V7.exec(id);
  if (!match) return undefined;
  const ms = Number.parseInt(`${match[1]}${match[2]}`, 16);
  // 48 bits of milliseconds reach the year 10889, which Postgres cannot parse as a timestamp: such an
  // id cannot be one this service made, and must read as unknown rather than fail the query.
  return ms <= LAST_DECISION_MS ? new Date(ms) : undefined;
}

/** The last instant with a four-digit year, the end of what a timestamp parameter can carry. */
const LAST_DECISION_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
