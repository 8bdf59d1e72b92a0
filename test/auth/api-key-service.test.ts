import { describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key.js';
import { ApiKeyService } from '../../src/auth/api-key-service.js';
import { InMemoryApiKeyStore } from '../../src/auth/in-memory-api-key-store.js';
import { ConfigError, loadConfig } from '../../src/config.js';

function setup(cacheMs = 0) {
  let ms = Date.parse('2026-06-01T00:00:00Z');
  const store = new InMemoryApiKeyStore();
  const keys = new ApiKeyService({ store, cacheMs, now: () => new Date(ms), bootstrapKey: 'b'.repeat(40) });
  return { store, keys, advance: (by: number) => (ms += by) };
}

describe('ApiKeyService', () => {
  it('creates a key whose hash alone is stored, and authenticates it with its scopes and surfaces', async () => {
    const { store, keys } = setup();
    const { key, apiKey } = await keys.create({ name: 'home backend', scopes: ['read', 'decide'], surfaces: ['home', 'browse', 'home'] });
    expect(apiKey).toMatchObject({ name: 'home backend', scopes: ['decide', 'read'], surfaces: ['browse', 'home'], revokedAt: null });
    expect(JSON.stringify(await store.list())).not.toContain(key);
    expect(await store.findByHash(hashApiKey(key))).toEqual(apiKey);
    const principal = await keys.authenticate(key);
    expect(principal).toMatchObject({ id: apiKey.id, scopes: new Set(['decide', 'read']), surfaces: new Set(['home', 'browse']) });
    expect(await keys.authenticate(`${key}x`)).toBeUndefined();
  });

  it('gives the bootstrap key every scope on every surface', async () => {
    const { keys } = setup();
    expect(await keys.authenticate('b'.repeat(40))).toMatchObject({ id: 'bootstrap', scopes: new Set(['decide', 'read', 'admin']), surfaces: null });
    expect(await keys.authenticate('b'.repeat(39))).toBeUndefined();
  });

  it('refuses a revoked key at once here, and on another replica once its cached lookup expires', async () => {
    const { store, keys, advance } = setup(5_000);
    const { key, apiKey } = await keys.create({ name: 'k', scopes: ['read'] });
    const other = new ApiKeyService({ store, cacheMs: 5_000, now: () => new Date(Date.parse('2026-06-01T00:00:00Z')) });
    expect(await other.authenticate(key)).toBeDefined();
    expect(await keys.authenticate(key)).toBeDefined();
    await keys.revoke(apiKey.id);
    expect(await keys.authenticate(key)).toBeUndefined();
    expect(await other.authenticate(key)).toBeDefined();
    advance(5_001);
    expect(await keys.authenticate(key)).toBeUndefined();
    expect(await keys.revoke('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });
});

describe('ADMIN_API_KEY', () => {
  it.each([
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY must be 32–512 printable ASCII characters without spaces'],
    [{ ADMIN_API_KEY: `${'a'.repeat(32)} b` }, 'ADMIN_API_KEY must be 32–512 printable ASCII characters without spaces'],
    [{ ADMIN_API_KEY: 'a'.repeat(32), ADMIN_API_KEY_FILE: 'key.txt' }, 'set ADMIN_API_KEY or ADMIN_API_KEY_FILE, not both'],
    [{ ADMIN_API_KEY_FILE: 'no/such/file' }, 'ADMIN_API_KEY_FILE cannot be read: "no/such/file"'],
    [{ RATE_LIMIT_PER_SECOND: '0' }, 'RATE_LIMIT_PER_SECOND must be an integer in [1, 1000000], got "0"'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  it('never puts the refused value in the message', () => {
    expect(() => loadConfig({ ADMIN_API_KEY: 'secret-but-short' })).toThrow(/^(?!.*secret-but-short)/);
  });

  it('defaults: no key, 200 requests/s with a burst of 400, a 5 s key cache, metrics on the API port', () => {
    expect(loadConfig({})).toMatchObject({ adminApiKey: undefined, rateLimitPerSecond: 200, rateLimitBurst: 400, apiKeyCacheMs: 5_000, metricsPort: undefined });
  });
});
