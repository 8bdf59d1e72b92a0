import { writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { UsageError } from './command-line.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { openDatabase } from '../db/open-database.js';
import { formatEvaluations } from '../evaluation/cli/format-evaluations.js';
import { OPE_USAGE, parseOpeOptions } from '../evaluation/cli/ope-options.js';
import { plotEstimates } from '../evaluation/cli/plot-estimates.js';
import { runOpe } from '../evaluation/cli/run-ope.js';

function fail(message: string, status: number): never {
  console.error(`ope: ${message}${status === 2 ? '\nRun with --help for usage.' : ''}`);
  process.exit(status);
}

let options;
try {
  options = parseOpeOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  fail(error.message, 2);
}
if (options === 'help') {
  console.log(OPE_USAGE);
} else {
  let database: Database | undefined;
  // A progress bar only for a person watching: never in a pipe or a CI log.
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: '{pass} {value} rounds', stream: process.stderr, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : undefined;
  let started = false;
  try {
    const evaluations = await runOpe(options, {
      database: async () => {
        const config = loadConfig();
        database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        return database;
      },
      ...(bar
        ? {
            onProgress: (rounds: number, pass: string) => {
              if (!started) bar.start(0, 0, { pass });
              started = true;
              bar.update(rounds, { pass });
            },
          }
        : {}),
    });
    bar?.stop();
    console.log(formatEvaluations(evaluations, options.format));
    if (options.plot !== undefined) await writeFile(options.plot, plotEstimates(evaluations));
  } catch (error) {
    bar?.stop();
    if (error instanceof UsageError) fail(error.message, 2);
    if (error instanceof Error && (error.name !== 'Error' || 'code' in error)) fail(error.message, 1);
    throw error;
  } finally {
    await database?.close();
  }
}
