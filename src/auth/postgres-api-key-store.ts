import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import type { ApiKey, Scope } from './api-key.js';
import type { ApiKeyStore, NewApiKey } from './api-key-store.js';

interface ApiKeyRow {
  id: string;
  name: string;
  scopes: string[];
  surfaces: string[] | null;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, name, scopes, surfaces, created_at, revoked_at';

export class PostgresApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: Queryable) {}

  async create(key: NewApiKey): Promise<ApiKey> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, name, key_hash, scopes, surfaces) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [randomUUID(), key.name, key.keyHash, key.scopes, key.surfaces],
    );
    return toApiKey(rows[0]!);
  }

  async list(): Promise<ApiKey[]> {
    const { rows } = await this.db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`);
    return rows.map(toApiKey);
  }

  async findByHash(keyHash: string): Promise<ApiKey | undefined> {
    const { rows } = await this.db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1`, [keyHash]);
    return rows[0] && toApiKey(rows[0]);
  }

  async revoke(id: string, at: Date): Promise<ApiKey | undefined> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, at],
    );
    return rows[0] && toApiKey(rows[0]);
  }
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as Scope[],
    surfaces: row.surfaces,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
