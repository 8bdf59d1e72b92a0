import type { Database } from './database.js';
import { PgDatabase } from './pg-database.js';
import { PgliteDatabase } from './pglite-database.js';

export interface OpenDatabaseOptions {
  /** A Postgres connection string; without one the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Where PGlite keeps its files, or `memory://` for a database that lives only in this process. */
  dataDir: string;
  onIdleError?: (error: Error) => void;
}

export async function openDatabase({ databaseUrl, dataDir, onIdleError }: OpenDatabaseOptions): Promise<Database> {
  if (databaseUrl) return new PgDatabase({ connectionString: databaseUrl, onIdleError });
  return PgliteDatabase.open(dataDir);
}
