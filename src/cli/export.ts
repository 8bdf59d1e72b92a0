import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open-database.js';
import { EXPORT_USAGE, parseExportOptions } from '../evaluation/cli/export-options.js';
import { exportDecisionLog } from '../evaluation/export/export-decision-log.js';
import { UsageError } from './command-line.js';

let options;
try {
  options = parseExportOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`export: ${error.message}\nRun with --help for usage.`);
  process.exit(2);
}
if (options === 'help') {
  console.log(EXPORT_USAGE);
} else {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const rows = await exportDecisionLog(database, options.filter, options.format, options.out);
    console.error(`export: wrote ${rows} rows to ${options.out}`);
  } finally {
    await database.close();
  }
}
