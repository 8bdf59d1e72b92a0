import { loadConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { openDatabase } from '../db/open-database.js';
import { loadPolicyFile } from '../evaluation/targets/load-policy-targets.js';
import { buildReport } from '../reports/build-report.js';
import { formatReport } from '../reports/format-report.js';
import { loadSurfaces } from '../surfaces/load-surfaces.js';
import { parseReportOptions, REPORT_USAGE } from './report-options.js';
import { UsageError } from './command-line.js';

function fail(message: string, status: number): never {
  console.error(`report: ${message}${status === 2 ? '\nRun with --help for usage.' : ''}`);
  process.exit(status);
}

let options;
try {
  options = parseReportOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  fail(error.message, 2);
}
if (options === 'help') {
  console.log(REPORT_USAGE);
} else {
  const config = loadConfig();
  const surface = (await loadSurfaces(config.policiesDir)).get(options.surface);
  if (!surface) fail(`no surface "${options.surface}" in ${config.policiesDir}`, 2);
  const candidates = [];
  for (const file of options.candidates) candidates.push(...(await loadPolicyFile(file)).specs);
  let database: Database | undefined;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const report = await buildReport(database, surface, { ...options, candidates, now: new Date() });
    console.log(formatReport(report, options.format));
  } finally {
    await database?.close();
  }
}
