import { readCommandLine, UsageError } from '../../cli/command-line.js';
import type { EstimatorSpec } from '../evaluation-types.js';
import { parseEstimatorSpecs } from '../estimators/parse-estimator-specs.js';

export type OpeFormat = 'table' | 'json' | 'csv';
export type LearningMode = 'replay' | 'ips-online';

export type OpeSource =
  | { kind: 'file'; file: string }
  | { kind: 'decision-log'; surface: string; from: Date; to: Date; policyArm?: string };

export type OpeTarget = { kind: 'probabilities'; file: string } | { kind: 'policy'; file: string };

export interface OpeOptions {
  command: 'evaluate' | 'compare';
  source: OpeSource;
  targets: OpeTarget[];
  /** Only this policy arm of a surface `--policy` file; all of them when absent. */
  targetPolicyArm?: string;
  /** How a policy config is run along the log; snapshots are always frozen. */
  mode: LearningMode;
  saveSnapshot?: string;
  qhat?: string;
  folds: number;
  estimators: EstimatorSpec[];
  bootstrap: number;
  seed: string;
  level: number;
  format: OpeFormat;
  plot?: string;
}

export const OPE_USAGE = `Usage: npm run ope -- [compare] SOURCE TARGET [options]

Estimates what a target policy would have earned on logged bandit feedback (off-policy evaluation),
with intervals and weight diagnostics. See docs/evaluation.md.

Source (one of):
  --log FILE              logged-feedback file, one row per round: .csv or .jsonl (columns action,
                          reward, propensity, [position], [timestamp], context; the Open Bandit Dataset
                          layout is detected from its header)
  --surface ID            the decision log of a surface (DATABASE_URL, else the embedded database);
                          needs --from and --to
  --from TIME, --to TIME  ISO 8601 times: decisions in [from, to)
  --policy-arm ID         only the traffic of this logged policy arm (e.g. control)

Target (one of; several with the compare command):
  --target-probs FILE     CSV of π_e(·|x), one row per logged round in log order, one column per action
                          (a_0 … a_{K-1}, or the action ids); each row sums to 1
  --policy FILE           a surface file (policies/*.yaml), a learner config {learner, features, arms}
                          or a snapshot {learner, features, arms: {arm: statistics}}
  --target-policy-arm ID  with a surface --policy: evaluate only this policy arm (default: every one)
  --mode MODE             how a policy config runs along the log: ips-online (default; learns from
                          every logged round, biased, any logging policy) | replay (Li et al. 2011;
                          learns from matched rounds only, exact for uniform logging). Snapshots are
                          evaluated frozen, without learning.
  --save-snapshot FILE    write the learned statistics of the (single) --policy after the run

Reward model (for dm, dr, sndr, switch-dr, dros):
  --qhat FILE             CSV of q̂(x, a), laid out like --target-probs
  --folds K               otherwise ridge regression per action with K-fold cross-fitting (default 2)

Estimation:
  --estimators LIST       comma-separated: on-policy, ips, snips, clipped-ips:M, dm, dr, sndr,
                          switch-dr:λ, dros:λ, replay (default ips,snips; with --mode replay
                          replay,ips,snips)
  --bootstrap B           bootstrap resamples, a whole number (default 1000; 0 skips)
  --seed S                seed of the bootstrap and of the target policy's draws (default "0")
  --level L               confidence level in (0, 1) (default 0.95)

Output:
  --format FORMAT         table (default) | json | csv
  --plot FILE.svg         also draw every estimate with its interval
  -h, --help              show this help

A bad flag or value prints an error and exits with status 2.`;

const FLAGS = ['log', 'surface', 'from', 'to', 'policy-arm', 'target-probs', 'policy', 'target-policy-arm', 'mode', 'save-snapshot', 'qhat', 'folds', 'estimators', 'bootstrap', 'seed', 'level', 'format', 'plot'] as const;

type Flag = (typeof FLAGS)[number];
const REPEATABLE = ['target-probs', 'policy'];

/**
 * Parses the ope command line (without the node and script paths): `'help'` for `-h`/`--help`, otherwise
 * the options with every value checked. Pure: reads no file and no environment.
 * @throws UsageError naming the flag and what is wrong with it.
 */
export function parseOpeOptions(argv: readonly string[]): OpeOptions | 'help' {
  const line = readCommandLine(argv, { values: FLAGS, repeatable: REPEATABLE, positionals: true });
  if (line === 'help') return 'help';
  const { values, positionals } = line;
  const command: OpeOptions['command'] = positionals[0] === 'compare' && argv[0] === 'compare' ? 'compare' : 'evaluate';
  const unexpected = positionals.slice(command === 'compare' ? 1 : 0)[0];
  if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
  const one = (flag: Flag) => values.get(flag)?.[0];
  const source = parseSource(one);
  const targets: OpeTarget[] = [
    ...(values.get('target-probs') ?? []).map((file) => ({ kind: 'probabilities' as const, file })),
    ...(values.get('policy') ?? []).map((file) => ({ kind: 'policy' as const, file })),
  ];
  if (targets.length === 0) throw new UsageError('a target is required: --target-probs FILE or --policy FILE');
  if (targets.length > 1 && command !== 'compare') throw new UsageError('several targets need the compare command: npm run ope -- compare …');
  const policies = targets.filter((target) => target.kind === 'policy').length;
  for (const flag of ['target-policy-arm', 'mode', 'save-snapshot'] as const) {
    if (values.has(flag) && policies === 0) throw new UsageError(`--${flag} applies to --policy targets only`);
  }
  if (values.has('save-snapshot') && targets.length > 1) throw new UsageError('--save-snapshot takes a single --policy target');
  if (values.has('folds') && values.has('qhat')) throw new UsageError('--folds applies to the fitted reward model, not to --qhat');
  const mode = oneOf(one('mode'), 'mode', ['ips-online', 'replay']) ?? 'ips-online';
  const estimators = parseEstimators(one('estimators'), mode);
  if (estimators.some((spec) => spec.name === 'replay') && !(mode === 'replay' && policies === targets.length)) {
    throw new UsageError('the replay estimator needs --policy targets with --mode replay');
  }
  const options: OpeOptions = {
    command,
    source,
    targets,
    mode,
    folds: number(one('folds'), 'folds', (x) => Number.isInteger(x) && x >= 2, 'an integer ≥ 2') ?? 2,
    estimators,
    bootstrap: number(one('bootstrap'), 'bootstrap', (x) => Number.isInteger(x) && x >= 0, 'a whole number') ?? 1000,
    seed: one('seed') ?? '0',
    level: number(one('level'), 'level', (x) => x > 0 && x < 1, 'a number in (0, 1)') ?? 0.95,
    format: oneOf(one('format'), 'format', ['table', 'json', 'csv']) ?? 'table',
  };
  const optional = { targetPolicyArm: one('target-policy-arm'), saveSnapshot: one('save-snapshot'), qhat: one('qhat'), plot: one('plot') };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(options, { [key]: value });
  return options;
}

function parseSource(one: (flag: Flag) => string | undefined): OpeSource {
  const log = one('log');
  const surface = one('surface');
  if (log !== undefined && surface !== undefined) throw new UsageError('give either --log or --surface, not both');
  if (log !== undefined) {
    for (const flag of ['from', 'to', 'policy-arm'] as const) {
      if (one(flag) !== undefined) throw new UsageError(`--${flag} applies to --surface (the decision log), not to --log`);
    }
    return { kind: 'file', file: log };
  }
  if (surface === undefined) throw new UsageError('a source is required: --log FILE or --surface ID --from TIME --to TIME');
  const from = parseTimeFlag(one('from'), 'from');
  const to = parseTimeFlag(one('to'), 'to');
  if (!(from < to)) throw new UsageError(`--from must be before --to, got ${from.toISOString()} and ${to.toISOString()}`);
  const policyArm = one('policy-arm');
  return { kind: 'decision-log', surface, from, to, ...(policyArm === undefined ? {} : { policyArm }) };
}

function parseEstimators(text: string | undefined, mode: LearningMode): EstimatorSpec[] {
  if (text === undefined) return mode === 'replay' ? [{ name: 'replay' }, { name: 'ips' }, { name: 'snips' }] : [{ name: 'ips' }, { name: 'snips' }];
  try {
    return parseEstimatorSpecs(text);
  } catch (error) {
    throw new UsageError(`--estimators: ${(error as Error).message}`);
  }
}

/** An ISO 8601 `--from`/`--to` value. @throws UsageError when missing or not a date with a zone. */
export function parseTimeFlag(text: string | undefined, flag: 'from' | 'to'): Date {
  if (text === undefined) throw new UsageError(`--${flag} TIME is required with --surface`);
  // Date-only or date-time with an explicit zone: a bare local time would depend on the machine's zone.
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(text) || /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const time = Date.parse(text);
  if (!valid || Number.isNaN(time)) throw new UsageError(`--${flag} must be an ISO 8601 date or time with a zone (e.g. 2026-06-01T00:00:00Z), got "${text}"`);
  return new Date(time);
}

function number(text: string | undefined, flag: Flag, valid: (x: number) => boolean, expected: string): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || !valid(value)) throw new UsageError(`--${flag} must be ${expected}, got "${text}"`);
  return value;
}

function oneOf<T extends string>(text: string | undefined, flag: Flag, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got "${text}"`);
  return text as T;
}
