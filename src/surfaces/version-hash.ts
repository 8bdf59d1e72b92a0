import { createHash } from 'node:crypto';

/**
 * A short, stable fingerprint of a JSON value: the first 16 hex digits (64 bits) of the SHA-256 of
 * its canonical JSON, in which object keys are sorted and array order is kept. Reordering keys in
 * a surface file therefore keeps its version, while any change of content produces a new one.
 */
export function versionHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
