import type { LearnerConfig } from '../src/learners/learner-config.js';
import { createPolicy } from '../src/learners/create-policy.js';
import { readBanditStream, type BanditStream } from '../src/replay/bandit-stream.js';
import { replayStream } from '../src/replay/replay-stream.js';
import { atPrintedPrecision, findReference, type ReferenceResult } from './reference-results.js';
import { readReferenceTrace, traceAgreement } from './reference-trace.js';
import { markdownTable, meanAndDeviation, resultsHeader, writeResults } from './results-file.js';
import { linUcbTraceFile, STREAM_NAMES, streamFile, type StreamName } from './shared-data.js';

/**
 * Learning benchmark: every learner over every shared stream under REFERENCE.md's protocol, beside the
 * published MABWiser figures. LinUCB is deterministic (ε = 0, lowest-index ties) and runs once, with
 * its agreement with the reference trace; the sampling learners run over `SEEDS` replay seeds and
 * report mean ± sd. Differences are in percentage points (100 × (ours − reference)).
 */
const SEEDS = ['1', '2', '3', '4', '5'];

interface Run {
  label: string;
  reference: ReferenceResult['learner'];
  config: LearnerConfig;
  seeds: string[];
}

const RUNS: Run[] = [
  ...[0.25, 1].map((alpha) => ({
    label: `LinUCB α=${alpha}`,
    reference: { kind: 'linucb', alpha } as const,
    config: { kind: 'linucb', alpha, epsilon: 0, tieBreak: 'lowest-index' } as const,
    seeds: ['1'],
  })),
  ...[0.25, 1].map((v) => ({
    label: `LinTS v=${v}`,
    reference: { kind: 'lints', v } as const,
    config: { kind: 'lints', v } as const,
    seeds: SEEDS,
  })),
  { label: 'Thompson (Beta)', reference: { kind: 'thompson' }, config: { kind: 'thompson' }, seeds: SEEDS },
  { label: 'uniform', reference: { kind: 'uniform' }, config: { kind: 'uniform' }, seeds: SEEDS },
];

interface Measures {
  averageReward: number;
  averageExpectedReward?: number;
  /** Last 25% of rounds: of pₜ[aₜ] when the stream has expected rewards, else of rₜ[aₜ] (as REFERENCE.md). */
  lastQuarter: number;
  /** Pseudo-regret when the stream has expected rewards, else regret. */
  regret: number;
  microsecondsPerRound: number;
  chosenArms: Int32Array;
}

function measure(stream: BanditStream, config: LearnerConfig, seed: string): Measures {
  const policy = createPolicy(config, stream.contexts[0]!.length);
  const started = performance.now();
  const result = replayStream(stream, policy, seed);
  const microsecondsPerRound = ((performance.now() - started) * 1000) / result.rounds;
  const expected = stream.expectedRewards;
  if (!expected) {
    return { ...result, lastQuarter: result.lastQuarterAverageReward, microsecondsPerRound };
  }
  const quarterStart = Math.floor((result.rounds * 3) / 4);
  let lastQuarter = 0;
  for (let t = quarterStart; t < result.rounds; t++) lastQuarter += expected[t]![result.chosenArms[t]!]!;
  return {
    averageReward: result.averageReward,
    averageExpectedReward: result.averageExpectedReward!,
    lastQuarter: lastQuarter / (result.rounds - quarterStart),
    regret: result.pseudoRegret!,
    microsecondsPerRound,
    chosenArms: result.chosenArms,
  };
}

function summary(values: number[], digits: number): string {
  const { mean, sd } = meanAndDeviation(values);
  return values.length > 1 ? `${mean.toFixed(digits)} ± ${sd.toFixed(digits)}` : mean.toFixed(digits);
}

function difference(values: number[], printed: string | undefined): string {
  if (printed === undefined) return '–';
  const points = (100 * (meanAndDeviation(values).mean - Number(printed))).toFixed(2);
  if (Number(points) === 0) return '0.00';
  return points.startsWith('-') ? points : `+${points}`;
}

async function benchStream(name: StreamName): Promise<string> {
  const stream = await readBanditStream(streamFile(name));
  const hasExpected = stream.expectedRewards !== undefined;
  const rows: string[][] = [];
  for (const run of RUNS) {
    const measures = run.seeds.map((seed) => measure(stream, run.config, seed));
    const reference = findReference(name, run.reference);
    const column = (pick: (m: Measures) => number) => measures.map(pick);
    let agreement = '–';
    if (run.config.kind === 'linucb') {
      const trace = await readReferenceTrace(linUcbTraceFile(name, run.config.alpha!));
      const { agreeing, firstDeparture } = traceAgreement(measures[0]!.chosenArms, trace);
      agreement = `${agreeing.toLocaleString('en')} / ${trace.length.toLocaleString('en')}`;
      if (firstDeparture >= 0) agreement += ` (departs at round ${firstDeparture})`;
      else if (reference) agreement += ` (equal at printed precision: ${equalAtPrecision(measures[0]!, reference)})`;
    }
    const averages = column((m) => m.averageReward);
    const row = [
      run.label,
      String(run.seeds.length),
      summary(averages, 4),
      reference?.averageReward ?? '–',
      difference(averages, reference?.averageReward),
    ];
    if (hasExpected) {
      const expected = column((m) => m.averageExpectedReward!);
      row.push(summary(expected, 4), reference?.averageExpectedReward ?? '–', difference(expected, reference?.averageExpectedReward));
    }
    const lastQuarters = column((m) => m.lastQuarter);
    row.push(
      summary(lastQuarters, 4),
      reference?.lastQuarter ?? '–',
      difference(lastQuarters, reference?.lastQuarter),
      summary(column((m) => m.regret), 1),
      reference?.regret ?? '–',
      summary(column((m) => m.microsecondsPerRound), 1),
      reference ? `≈ ${reference.microsecondsPerRound.toLocaleString('en')}` : '–',
      agreement,
    );
    rows.push(row);
    console.log(`${name}: ${row.join(' | ')}`);
  }
  const header = ['learner', 'seeds', 'avg reward', 'ref', 'Δ pp'];
  if (hasExpected) header.push('avg pₜ[aₜ]', 'ref', 'Δ pp');
  header.push(
    hasExpected ? 'pₜ[aₜ] last 25%' : 'reward last 25%',
    'ref',
    'Δ pp',
    hasExpected ? 'pseudo-regret' : 'regret',
    'ref',
    'µs / round',
    'ref µs',
    'rounds agreeing with trace',
  );
  const alignRight = header.map((_, i) => i > 0 && i < header.length - 1);
  return [`## ${name} (T = ${stream.contexts.length.toLocaleString('en')}, d = ${stream.contexts[0]!.length}, K = ${stream.armCount})`, '', markdownTable(header, alignRight, rows), ''].join('\n');
}

function equalAtPrecision(measures: Measures, reference: ReferenceResult): string {
  const pairs: [number | undefined, string | undefined][] = [
    [measures.averageReward, reference.averageReward],
    [measures.averageExpectedReward, reference.averageExpectedReward],
    [measures.lastQuarter, reference.lastQuarter],
    [measures.regret, reference.regret],
  ];
  const equal = pairs.every(([value, printed]) => printed === undefined || atPrintedPrecision(value!, printed) === printed);
  return equal ? 'yes' : 'no';
}

const sections: string[] = [];
for (const name of STREAM_NAMES) sections.push(await benchStream(name));
await writeResults(
  'learning.md',
  [
    resultsHeader('Learning benchmark: Limelight learners vs the published reference', 'npm run bench:learning'),
    'Protocol of the shared `REFERENCE.md`: rounds in file order, the context as given, only the chosen',
    "arm's reward observed and learned at once. LinUCB runs with ε = 0 and lowest-index ties (deterministic,",
    `one run); LinTS (M = default posterior draws), Thompson and uniform run over ${SEEDS.length} replay seeds`,
    '(mean ± sd). "ref" is MABWiser 2.x as printed in REFERENCE.md (its LinTS α is our v); Δ pp is',
    '100 × (our mean − ref). µs / round is choose + update of the whole replay loop (including the per-round',
    'seeded generator), on this machine; the reference timings are Python on the reference machine.',
    '',
    ...sections,
  ].join('\n'),
);
