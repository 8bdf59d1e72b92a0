import { parseArgs } from 'node:util';
import { UsageError } from '../../cli/replay-options.js';
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

const FLAGS = {
  surface: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'policy-arm': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'parquet'];

/**
 * Parses the export command line: `'help'`, or the checked options. Pure.
 * @throws UsageError naming the flag and what is wrong with it.
 */
export function parseExportOptions(argv: readonly string[]): ExportOptions | 'help' {
  const { tokens } = parseArgs({ args: [...argv], options: FLAGS, strict: false, allowPositionals: true, tokens: true });
  const values = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`unexpected argument "${token.value}"`);
    if (token.kind !== 'option') continue;
    if (token.name === 'help') return 'help';
    if (!Object.hasOwn(FLAGS, token.name)) throw new UsageError(`unknown flag ${token.rawName}`);
    if (token.value === undefined || token.value === '') throw new UsageError(`--${token.name} needs a value`);
    if (values.has(token.name)) throw new UsageError(`--${token.name} is given more than once`);
    values.set(token.name, token.value);
  }
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
