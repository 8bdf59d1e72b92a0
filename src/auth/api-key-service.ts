import { generateApiKey, hashApiKey, hashesEqual, SCOPES, type ApiKey, type Scope } from './api-key.js';
import type { ApiKeyStore } from './api-key-store.js';

/** Who a request acts as, once its key is known. */
export interface Principal {
  /** The key's id (`bootstrap` for ADMIN_API_KEY): what rate limits and logs refer to, never the key. */
  id: string;
  name: string;
  scopes: ReadonlySet<Scope>;
  /** null: every surface. */
  surfaces: ReadonlySet<string> | null;
}

export interface CreateKeyRequest {
  name: string;
  scopes: Scope[];
  surfaces?: string[] | null | undefined;
}

export interface ApiKeyServiceOptions {
  store: ApiKeyStore;
  /** A key with every scope that is not in the store (ADMIN_API_KEY, or the embedded demo's key). */
  bootstrapKey?: string | undefined;
  /** How long a replica trusts a key it looked up; a revoke on another replica takes effect within it. */
  cacheMs: number;
  now: () => Date;
}

interface CachedLookup {
  principal: Principal | undefined;
  expiresAt: number;
}

export class ApiKeyService {
  private readonly store: ApiKeyStore;
  private readonly bootstrapHash: string | undefined;
  private readonly cache = new Map<string, CachedLookup>();

  constructor(private readonly options: ApiKeyServiceOptions) {
    this.store = options.store;
    this.bootstrapHash = options.bootstrapKey === undefined ? undefined : hashApiKey(options.bootstrapKey);
  }

  /** Creates a key; the returned `key` is its only copy. */
  async create(request: CreateKeyRequest): Promise<{ key: string; apiKey: ApiKey }> {
    const key = generateApiKey();
    const scopes = SCOPES.filter((scope) => request.scopes.includes(scope));
    const surfaces = request.surfaces && request.surfaces.length > 0 ? [...new Set(request.surfaces)].sort() : null;
    const apiKey = await this.store.create({ name: request.name, keyHash: hashApiKey(key), scopes, surfaces });
    return { key, apiKey };
  }

  list(): Promise<ApiKey[]> {
    return this.store.list();
  }

  async revoke(id: string): Promise<ApiKey | undefined> {
    const revoked = await this.store.revoke(id, this.options.now());
    // This replica refuses the key at once; the others once their cached lookup expires.
    for (const [hash, cached] of this.cache) if (cached.principal?.id === id) this.cache.delete(hash);
    return revoked;
  }

  /** The principal of a presented key; undefined when the key is unknown or revoked. */
  async authenticate(presented: string): Promise<Principal | undefined> {
    const hash = hashApiKey(presented);
    if (this.bootstrapHash !== undefined && hashesEqual(hash, this.bootstrapHash)) return BOOTSTRAP;
    const nowMs = this.options.now().getTime();
    const cached = this.cache.get(hash);
    if (cached !== undefined && cached.expiresAt > nowMs) return cached.principal;
    const stored = await this.store.findByHash(hash);
    const principal = stored && stored.revokedAt === null ? toPrincipal(stored) : undefined;
    // Only known keys are cached, so that random keys cannot grow the cache without bound.
    if (principal !== undefined && this.options.cacheMs > 0) this.cache.set(hash, { principal, expiresAt: nowMs + this.options.cacheMs });
    return principal;
  }
}

const BOOTSTRAP: Principal = { id: 'bootstrap', name: 'bootstrap', scopes: new Set(SCOPES), surfaces: null };

function toPrincipal(key: ApiKey): Principal {
  return { id: key.id, name: key.name, scopes: new Set(key.scopes), surfaces: key.surfaces && new Set(key.surfaces) };
}
