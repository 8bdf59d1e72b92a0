import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS_DIR } from '../db/migrations-dir.js';
import { openDatabase } from '../db/open-database.js';

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const applied = await migrate(db, MIGRATIONS_DIR);
  console.log(applied.length > 0 ? `Applied ${applied.join(', ')}` : 'No pending migrations');
} finally {
  await db.close();
}
