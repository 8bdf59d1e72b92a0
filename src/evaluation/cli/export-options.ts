import { readCommandLine, singleValues, UsageError } from '../../cli/command-line.js';
import type { ExportFormat } from '../export/export-decision-log.js';
import type { DecisionLogFilter } from '../inputs/read-decision-log.js';
import { parseTimeFlag } from './ope-options.js';

export interface ExportOptions {
  filter: DecisionLogFilter;
  format: ExportFormat;
  out: string;
}

export const EXPORT_USAGE = `Usage: npm run export -- --surface ID --from TIME --to TIME --out FILE [options]

Writes a surface's rewarded, learnable decisions in [from, to), in time order, in the logged-feedback
layout that \`npm run ope -- --log FILE\` reads: timestamp, action, reward, propensity, x_<feature>…
(see docs/evaluation.md). Streamed: memory does not grow with the number of rows.

  --surface ID            the surface
  --from TIME, --to TIME  ISO 8601 times with a zone (or dates): decisions in [from, to)
  --policy-arm ID         only this policy arm's traffic
  --format FORMAT         csv | jsonl | parquet (default: from the --out extension)
  --out FILE              the file to write
  -h, --help              show this help

Reads DATABASE_URL (else the embedded database). A bad flag or value exits with status 2.`;

const FLAGS = ['surface', 'from', 'to', 'policy-arm', 'format', 'out'];

const FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'parquet'];

/**
 * Parses the export command line: `'help'`, or the checked options. Pure.
 * @throws UsageError naming the flag and what is wrong with it.
 */
export function parseExportOptions(argv: readonly string[]): ExportOptions | 'help' {
  const line = readCommandLine(argv, { values: FLAGS });
  if (line === 'help') return 'help';
  const values = singleValues(line);
  const surface = values.get('surface');
  if (surface === undefined) throw new UsageError('--surface ID is required');
  const out = values.get('out');
  if (out === undefined) throw new UsageError('--out FILE is required');
  const from = parseTimeFlag(values.get('from'), 'from');
  const to = parseTimeFlag(values.get('to'), 'to');
  if (!(from < to)) throw new UsageError(`--from must be before --to, got ${from.toISOString()} and ${to.toISOString()}`);
  const format = values.get('format') ?? out.slice(out.lastIndexOf('.') + 1).toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(values.has('format') ? `--format must be one of ${FORMATS.join(', ')}, got "${format}"` : `cannot tell the format from "${out}": give --format ${FORMATS.join('|')}`);
  }
  const policyArm = values.get('policy-arm');
  return { filter: { surface, from, to, ...(policyArm === undefined ? {} : { policyArm }) }, format: format as ExportFormat, out };
}
