import type { ApiKey, Scope } from './api-key.js';

export interface NewApiKey {
  name: string;
  keyHash: string;
  scopes: Scope[];
  surfaces: string[] | null;
}

/** Where API keys live, by the hash of their secret; never the secret itself. */
export interface ApiKeyStore {
  create(key: NewApiKey): Promise<ApiKey>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKey[]>;
  /** The key with this hash, revoked or not. */
  findByHash(keyHash: string): Promise<ApiKey | undefined>;
  /** Revokes a key (a second revoke keeps the first time); undefined when no key has this id. */
  revoke(id: string, at: Date): Promise<ApiKey | undefined>;
}
