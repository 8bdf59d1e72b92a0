import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The bandit benchmark folder (streams, `REFERENCE.md`, `traces/`): `bandit/` inside the shared data
 * folder, which sits at `../shared/data/` beside the project root unless `LIMELIGHT_SHARED_DATA` names
 * another one. Resolved from this file, so it works from any working directory.
 */
export const BANDIT_DATA_DIR = join(
  process.env['LIMELIGHT_SHARED_DATA'] || fileURLToPath(new URL('../../shared/data/', import.meta.url)),
  'bandit',
);

/** The names (without `.csv`) of the two benchmark streams, in the order of REFERENCE.md. */
export const STREAM_NAMES = ['linear-synth', 'digits'] as const;
export type StreamName = (typeof STREAM_NAMES)[number];

/** The path of a benchmark stream's CSV file. */
export function streamFile(stream: StreamName): string {
  return join(BANDIT_DATA_DIR, `${stream}.csv`);
}

/** The path of a LinUCB reference trace, e.g. `traces/linear-synth.linucb-alpha0.25.csv`. */
export function linUcbTraceFile(stream: StreamName, alpha: number): string {
  return join(BANDIT_DATA_DIR, 'traces', `${stream}.linucb-alpha${alpha.toFixed(Number.isInteger(alpha) ? 1 : 2)}.csv`);
}

/** True when the shared bandit folder is present (it is not part of the repository). */
export function banditDataPresent(): boolean {
  return existsSync(resolve(BANDIT_DATA_DIR, 'REFERENCE.md'));
}
