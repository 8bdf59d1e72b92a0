import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS_DIR } from '../db/migrations-dir.js';
import { openDatabase } from '../db/open-database.js';
import { applyRetention } from '../db/retention.js';
import { loadSurfaces } from '../surfaces/load-surfaces.js';

const HELP = `Usage: npm run retention -- [--older-than-days N] [--dry-run]

Drops the daily partitions of the decision log (DATABASE_URL, or the embedded database) older than
N days (default RETENTION_DAYS, 90), but never one that holds a decision whose reward window closed
less than the largest attribution window of any surface ago, nor one the reward sweeper is not done with.

  --older-than-days N   drop days that ended at least N days ago (a positive integer)
  --dry-run             print what would be dropped and kept, change nothing
  --help                this text

Exit status: 0 on success, 2 on a usage error.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'older-than-days': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = loadConfig();
  const raw = values['older-than-days'];
  const olderThanDays = raw === undefined ? config.retentionDays : Number(raw);
  if (raw !== undefined && !/^\d+$/.test(raw)) return usage(`--older-than-days must be a positive integer, got "${raw}"`);
  if (olderThanDays < 1) return usage(`--older-than-days must be a positive integer, got "${raw}"`);
  const surfaces = await loadSurfaces(config.policiesDir);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database, MIGRATIONS_DIR);
    const dryRun = values['dry-run'];
    const result = await applyRetention(database, surfaces.list(), { now: new Date(), olderThanDays, dryRun });
    const verb = dryRun ? 'would drop' : 'dropped';
    const lines = [
      `cutoff: days before ${result.cutoff.toISOString().slice(0, 10)}; open windows: reward_by at or after ${result.windowsClosedBefore.toISOString()}`,
      `${verb} ${result.dropped.length} partition(s)${result.dropped.length > 0 ? `: ${result.dropped.join(', ')}` : ''}`,
      ...result.kept.map(({ partition, openWindows, unsettled }) => `kept ${partition}: ${openWindows} decision(s) in an open window, ${unsettled} not settled by the sweeper`),
      `${verb} ${result.defaultRows} row(s) of the default partition`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

function usage(message: string): number {
  process.stderr.write(`retention: ${message}\n\n${HELP}\n`);
  return 2;
}

process.exitCode = await main();
