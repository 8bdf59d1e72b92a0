import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCOPES = ['decide', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** A stored API key, without its secret. */
export interface ApiKey {
  id: string;
  name: string;
  scopes: Scope[];
  /** The surfaces the key is limited to; null for every surface. */
  surfaces: string[] | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Prefix of every generated key, so that a leaked one is recognisable by secret scanners. */
const KEY_PREFIX = 'll_';

/** A new key: 256 random bits, base64url. */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * Hex SHA-256 of a key. A fast unsalted hash is enough here, unlike for passwords: a key carries 256
 * random bits, so neither a dictionary nor brute force over the hash is feasible, and a slow KDF would
 * cost every request its time. It also lets the store look a key up by its hash directly.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares two hex hashes in time independent of where they differ. */
export function hashesEqual(left: string, right: string): boolean {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
