import { readCommandLine, singleValues, UsageError } from './command-line.js';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  surface: string;
  from?: Date;
  to?: Date;
  format: ReportFormat;
  leaderboard: boolean;
  /** Policy files (surface, learner config or snapshot) to add to the leaderboard. */
  candidates: string[];
}

export const REPORT_USAGE = `Usage: npm run report -- --surface ID [options]

Compares the policy arms of a surface over the decision log: decisions, rewards, mean reward with its
95 % interval and always-valid confidence sequence, lift against the uniform control with a p-value,
the traffic split with a sample-ratio-mismatch check, and a leaderboard of every policy config valued
off-policy on the control's traffic. Reads DATABASE_URL (or the embedded database under
LIMELIGHT_DATA_DIR) and POLICIES_DIR like the service.

Required:
  --surface ID            the surface to report on

Options:
  --from DATE             start of the window, inclusive (2026-11-01 or 2026-11-01T08:00:00Z; UTC)
  --to DATE               end of the window, exclusive
  --format FORMAT         table (default) | json | csv (one row per policy arm) | md
  --no-leaderboard        skip the counterfactual leaderboard (the slow part)
  --candidate FILE        a policy file to add to the leaderboard; repeatable
  -h, --help              show this help

A bad flag or value prints an error and exits with status 2.`;

const VALUE_FLAGS = new Set(['surface', 'from', 'to', 'format', 'candidate']);

/**
 * Parses the command line of `npm run report`.
 * @returns 'help' for -h/--help.
 * @throws UsageError for an unknown flag, a missing or repeated value, a bad date or format, or an empty window.
 */
export function parseReportOptions(argv: readonly string[]): ReportOptions | 'help' {
  const line = readCommandLine(argv, { values: [...VALUE_FLAGS], switches: ['no-leaderboard'], repeatable: ['candidate'] });
  if (line === 'help') return 'help';
  const values = singleValues(line);
  const candidates = line.values.get('candidate') ?? [];
  const leaderboard = !line.switches.has('no-leaderboard');
  const surface = values.get('surface');
  if (surface === undefined) throw new UsageError('--surface ID is required');
  const format = values.get('format') ?? 'table';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, got "${format}"`);
  }
  const from = date(values, 'from');
  const to = date(values, 'to');
  if (from && to && !(from < to)) throw new UsageError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  return { surface, ...(from ? { from } : {}), ...(to ? { to } : {}), format: format as ReportFormat, leaderboard, candidates };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A day means its UTC midnight. */
function date(values: ReadonlyMap<string, string>, name: 'from' | 'to'): Date | undefined {
  const raw = values.get(name);
  if (raw === undefined) return undefined;
  const parsed = DATE.test(raw) ? new Date(`${raw}T00:00:00Z`) : DATE_TIME.test(raw) ? new Date(raw) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw new UsageError(`--${name} must be a date (2026-11-01) or a date-time with an offset (2026-11-01T08:00:00Z), got "${raw}"`);
  }
  return parsed;
}
