import { Redis } from 'ioredis';
import pg from 'pg';

/** A database and a Redis key prefix that one run owns, on servers that others share. */
export interface ScratchBackends {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  /** Drops the database (ending the connections still open) and deletes every key under the prefix. */
  remove(): Promise<void>;
}

/**
 * Creates the empty database `name` on the server of `serverUrl` (dropping a leftover of a crashed run
 * first) and reserves the Redis key prefix `name`. The name must be a plain SQL identifier.
 * @throws RangeError for a name that is not one.
 */
export async function createScratchBackends(serverUrl: string, redisUrl: string, name: string): Promise<ScratchBackends> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new RangeError(`scratch name must be a lower-case SQL identifier, got "${name}"`);
  await withServer(serverUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  });
  return {
    databaseUrl: Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString(),
    redisUrl,
    redisKeyPrefix: name,
    async remove() {
      await deleteKeysUnder(redisUrl, name);
      await withServer(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** CREATE and DROP DATABASE cannot run in a transaction, so they take a client of their own. */
export async function withServer<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Deletes every key under `prefix` with SCAN, never KEYS, which would block a shared Redis. */
export async function deleteKeysUnder(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
