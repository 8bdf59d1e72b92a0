import type { StreamName } from './shared-data.js';

/**
 * The published reference results of REFERENCE.md (MABWiser 2.x on the shared streams under the
 * replay protocol), kept as the printed strings so that a comparison can use the printed precision.
 *
 * - `averageReward`: mean of rₜ[aₜ];
 * - `averageExpectedReward`: mean of pₜ[aₜ] (linear-synth only);
 * - `lastQuarter`: the last 25% of rounds, of pₜ[aₜ] on linear-synth and of rₜ[aₜ] on digits
 *   (`lastQuarterOf` says which);
 * - `regret`: Σₜ (maxₖ pₜ[k] − pₜ[aₜ]) on linear-synth (pseudo-regret), the number of wrong rounds on digits;
 * - `microsecondsPerRound`: choose + update, on the reference machine (Python).
 *
 * MABWiser's LinTS `alpha` is the posterior scale v of `LinTs`.
 */
export interface ReferenceResult {
  stream: StreamName;
  label: string;
  learner: { kind: 'linucb'; alpha: number } | { kind: 'lints'; v: number } | { kind: 'thompson' } | { kind: 'uniform' };
  averageReward: string;
  averageExpectedReward?: string;
  lastQuarter: string;
  lastQuarterOf: 'expected-reward' | 'reward';
  regret: string;
  microsecondsPerRound: number;
}

export const REFERENCE_RESULTS: readonly ReferenceResult[] = [
  synth('MABWiser LinUCB α=0.25', { kind: 'linucb', alpha: 0.25 }, ['0.4389', '0.4371', '0.4448', '331.1'], 900),
  synth('MABWiser LinUCB α=1.0', { kind: 'linucb', alpha: 1 }, ['0.4342', '0.4320', '0.4435', '431.7'], 885),
  synth('MABWiser LinTS α=0.25', { kind: 'lints', v: 0.25 }, ['0.4329', '0.4313', '0.4422', '446.0'], 1060),
  synth('MABWiser LinTS α=1.0', { kind: 'lints', v: 1 }, ['0.3866', '0.3831', '0.4170', '1411'], 1140),
  synth('MABWiser ThompsonSampling', { kind: 'thompson' }, ['0.2142', '0.2163', '0.2185', '4747'], 220),
  synth('MABWiser Random', { kind: 'uniform' }, ['0.1983', '0.1988', '0.1962', '5098'], 6),
  digits('MABWiser LinUCB α=0.25', { kind: 'linucb', alpha: 0.25 }, ['0.9485', '0.9813', '463'], 1040),
  digits('MABWiser LinUCB α=1.0', { kind: 'linucb', alpha: 1 }, ['0.9238', '0.9653', '685'], 1010),
  digits('MABWiser LinTS α=0.25', { kind: 'lints', v: 0.25 }, ['0.9198', '0.9728', '721'], 1940),
  digits('MABWiser LinTS α=1.0', { kind: 'lints', v: 1 }, ['0.6565', '0.8375', '3086'], 1300),
  digits('MABWiser ThompsonSampling', { kind: 'thompson' }, ['0.0958', '0.0922', '8124'], 345),
  digits('MABWiser Random', { kind: 'uniform' }, ['0.1052', '0.1011', '8040'], 10),
];

/** The number of decimals a printed reference value carries: `'0.4389'` → 4, `'463'` → 0. */
export function printedDecimals(printed: string): number {
  const point = printed.indexOf('.');
  return point < 0 ? 0 : printed.length - point - 1;
}

/** `value` rounded to the precision of `printed`, as printed (for an equality check at that precision). */
export function atPrintedPrecision(value: number, printed: string): string {
  return value.toFixed(printedDecimals(printed));
}

/** The reference result of a stream and learner, if REFERENCE.md prints one. */
export function findReference(stream: StreamName, learner: ReferenceResult['learner']): ReferenceResult | undefined {
  return REFERENCE_RESULTS.find(
    (reference) => reference.stream === stream && JSON.stringify(reference.learner) === JSON.stringify(learner),
  );
}

function synth(
  label: string,
  learner: ReferenceResult['learner'],
  [averageReward, averageExpectedReward, lastQuarter, regret]: [string, string, string, string],
  microsecondsPerRound: number,
): ReferenceResult {
  return {
    stream: 'linear-synth',
    label,
    learner,
    averageReward,
    averageExpectedReward,
    lastQuarter,
    lastQuarterOf: 'expected-reward',
    regret,
    microsecondsPerRound,
  };
}

function digits(
  label: string,
  learner: ReferenceResult['learner'],
  [averageReward, lastQuarter, regret]: [string, string, string],
  microsecondsPerRound: number,
): ReferenceResult {
  return { stream: 'digits', label, learner, averageReward, lastQuarter, lastQuarterOf: 'reward', regret, microsecondsPerRound };
}
