import { randomUUID } from 'node:crypto';
import type { ApiKey } from './api-key.js';
import type { ApiKeyStore, NewApiKey } from './api-key-store.js';

/** The fake of `ApiKeyStore` for unit tests. */
export class InMemoryApiKeyStore implements ApiKeyStore {
  private readonly keys: Array<ApiKey & { keyHash: string }> = [];

  async create(key: NewApiKey): Promise<ApiKey> {
    const stored = { id: randomUUID(), ...key, createdAt: new Date(), revokedAt: null };
    this.keys.push(stored);
    return withoutHash(stored);
  }

  async list(): Promise<ApiKey[]> {
    return this.keys.map(withoutHash);
  }

  async findByHash(keyHash: string): Promise<ApiKey | undefined> {
    const key = this.keys.find((candidate) => candidate.keyHash === keyHash);
    return key && withoutHash(key);
  }

  async revoke(id: string, at: Date): Promise<ApiKey | undefined> {
    const key = this.keys.find((candidate) => candidate.id === id);
    if (key) key.revokedAt ??= at;
    return key && withoutHash(key);
  }
}

function withoutHash({ keyHash: _, ...key }: ApiKey & { keyHash: string }): ApiKey {
  return { ...key, scopes: [...key.scopes], surfaces: key.surfaces && [...key.surfaces] };
}
