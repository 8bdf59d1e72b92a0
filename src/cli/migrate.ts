import { migrate } from '../db/migrate.js';
import { MIGRATIONS_DIR } from '../db/migrations-dir.js';
import { openDatabase } from '../db/open-database.js';

// Only the two variables that locate the database: migrating must not require the service's
// full configuration.
const db = await openDatabase({
  databaseUrl: process.env['DATABASE_URL'] || undefined,
  dataDir: process.env['LIMELIGHT_DATA_DIR'] || 'data/',
});
try {
  const applied = await migrate(db, MIGRATIONS_DIR);
  console.log(applied.length > 0 ? `Applied ${applied.join(', ')}` : 'No pending migrations');
} finally {
  await db.close();
}
