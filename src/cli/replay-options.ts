import type { LearnerConfig, LearnerKind } from '../learners/learner-config.js';
import { readCommandLine, singleValues, UsageError } from './command-line.js';


export type ReplayFormat = 'table' | 'json';

export interface ReplayOptions {
  stream: string;
  learner: LearnerConfig;
  seed: string;
  format: ReplayFormat;
}

export const REPLAY_USAGE = `Usage: npm run replay -- --stream FILE --learner KIND [options]

Replays a full-information bandit stream (CSV with x_* context columns, r_* reward columns and
optional p_* expected-reward columns) under the bandit protocol: each round the learner sees the
context, chooses one arm, observes only that arm's reward and learns it at once.

Required:
  --stream FILE           the stream's CSV file
  --learner KIND          linucb | lints | thompson | uniform

Learner parameters (unset ones take the learner's documented default):
  --alpha A               linucb: width α ≥ 0 of the upper confidence bound (default 1).
                          lints: the MABWiser name for --v (give one of the two)
  --v V                   lints: posterior scale v > 0, θ ~ N(A⁻¹b, v²A⁻¹) (default 0.25)
  --lambda L              linucb, lints: ridge prior λ > 0, A = λI + Σ x xᵀ (default 1)
  --draws M               lints, thompson: Monte Carlo posterior draws, a positive integer
                          (default 1000 for lints, 4000 for thompson)
  --tie-break RULE        linucb: split (share a tie equally, default) | lowest-index
                          (reproduces the reference traces)
  --epsilon E             linucb, lints, thompson: exploration floor ε in [0, 1] (default 0)
  --gamma G               linucb, lints, thompson: forgetting factor γ in (0, 1] (default 1)

Replay:
  --seed S                seed of the per-round generators (round t draws from "S:t"; default "0")
  --format FORMAT         table (default) | json: rounds, averageReward, lastQuarterAverageReward,
                          regret, and with p_* columns pseudoRegret and averageExpectedReward
  -h, --help              show this help

A bad flag or value prints an error and exits with status 2.`;

const KINDS: readonly LearnerKind[] = ['linucb', 'lints', 'thompson', 'uniform'];

const FLAGS = ['stream', 'learner', 'alpha', 'v', 'lambda', 'draws', 'tie-break', 'epsilon', 'gamma', 'seed', 'format'] as const;

type Flag = (typeof FLAGS)[number];

/** The learners each learner flag applies to. */
const APPLIES_TO: Partial<Record<Flag, readonly LearnerKind[]>> = {
  alpha: ['linucb', 'lints'],
  v: ['lints'],
  lambda: ['linucb', 'lints'],
  draws: ['lints', 'thompson'],
  'tie-break': ['linucb'],
  epsilon: ['linucb', 'lints', 'thompson'],
  gamma: ['linucb', 'lints', 'thompson'],
};

/**
 * Parses the replay command line (without the node and script paths): `'help'` for `-h`/`--help`,
 * otherwise the options with every given value checked. Pure: reads no file and no environment.
 * @throws UsageError for an unknown flag, a missing or repeated value, a value out of range, or a
 * flag that the chosen learner does not take.
 */
export function parseReplayOptions(argv: readonly string[]): ReplayOptions | 'help' {
  const line = readCommandLine(argv, { values: FLAGS });
  if (line === 'help') return 'help';
  const values = singleValues(line);
  const stream = values.get('stream');
  if (stream === undefined) throw new UsageError('--stream FILE is required');
  const kind = values.get('learner');
  if (kind === undefined) throw new UsageError(`--learner is required (one of ${KINDS.join(', ')})`);
  if (!isKind(kind)) throw new UsageError(`--learner must be one of ${KINDS.join(', ')}, got "${kind}"`);
  for (const flag of Object.keys(APPLIES_TO) as Flag[]) {
    const learners = APPLIES_TO[flag]!;
    if (values.has(flag) && !learners.includes(kind)) {
      throw new UsageError(`--${flag} does not apply to ${kind} (only to ${learners.join(', ')})`);
    }
  }
  return {
    stream,
    learner: learnerConfig(kind, values),
    seed: values.get('seed') ?? '0',
    format: oneOf(values, 'format', ['table', 'json']) ?? 'table',
  };
}

function learnerConfig(kind: LearnerKind, values: ReadonlyMap<string, string>): LearnerConfig {
  const exploration = {
    epsilon: number(values, 'epsilon', (x) => x >= 0 && x <= 1, 'a number in [0, 1]'),
    gamma: number(values, 'gamma', (x) => x > 0 && x <= 1, 'a number in (0, 1]'),
  };
  const lambda = number(values, 'lambda', (x) => x > 0, 'a number > 0');
  const draws = number(values, 'draws', (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
  switch (kind) {
    case 'linucb':
      return withoutUnset({
        kind,
        alpha: number(values, 'alpha', (x) => x >= 0, 'a number ≥ 0'),
        lambda,
        tieBreak: oneOf(values, 'tie-break', ['split', 'lowest-index']),
        ...exploration,
      });
    case 'lints': {
      if (values.has('alpha') && values.has('v')) throw new UsageError('give either --v or --alpha (its MABWiser name) for lints, not both');
      const flag = values.has('alpha') ? 'alpha' : 'v';
      return withoutUnset({ kind, v: number(values, flag, (x) => x > 0, 'a number > 0'), lambda, draws, ...exploration });
    }
    case 'thompson':
      return withoutUnset({ kind, draws, ...exploration });
    case 'uniform':
      return { kind };
  }
}

function number(values: ReadonlyMap<string, string>, flag: Flag, valid: (x: number) => boolean, expected: string): number | undefined {
  const text = values.get(flag);
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || !valid(value)) throw new UsageError(`--${flag} must be ${expected}, got "${text}"`);
  return value;
}

function oneOf<T extends string>(values: ReadonlyMap<string, string>, flag: Flag, allowed: readonly T[]): T | undefined {
  const text = values.get(flag);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got "${text}"`);
  }
  return text as T;
}

function isKind(text: string): text is LearnerKind {
  return (KINDS as readonly string[]).includes(text);
}

/** Drops unset fields, so that `createPolicy` fills its own defaults and JSON output stays clean. */
function withoutUnset<T extends object>(config: T): T {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as T;
}
