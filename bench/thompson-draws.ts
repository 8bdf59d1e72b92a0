import { errorFunction } from 'simple-statistics';
import { createPolicy } from '../src/learners/create-policy.js';
import { DEFAULT_LINTS_DRAWS, DEFAULT_THOMPSON_DRAWS, type LearnerConfig } from '../src/learners/learner-config.js';
import type { Learner } from '../src/learners/learner.js';
import type { LinTs } from '../src/learners/lin-ts.js';
import { BetaThompson } from '../src/learners/thompson.js';
import { dot } from '../src/linalg/vector.js';
import { readBanditStream, type BanditStream } from '../src/replay/bandit-stream.js';
import { replayStream } from '../src/replay/replay-stream.js';
import { seededRandom } from '../src/stats/random.js';
import { betaArgmaxProbabilities, normalArgmaxProbabilities } from './argmax-probabilities.js';
import { standardNormalCdf } from './normal-cdf.js';
import { markdownTable, resultsHeader, writeResults } from './results-file.js';
import { streamFile } from './shared-data.js';

/**
 * Error versus cost of the Monte Carlo action distribution of the Thompson learners. For fixed,
 * realistic posterior states and each number of draws M, `SEEDS` seeded calls of `distribution` are
 * compared with the exact probabilities (LinTS: normal quadrature; Beta-Thompson: Beta quadrature), by
 * the max over arms of |p̂ₖ − pₖ|; reported are the mean, 95th percentile and max over seeds, and the
 * µs per call. Theory: each p̂ₖ has standard error √(pₖ(1 − pₖ)/M) ≤ 0.5/√M.
 */
const DRAWS = [64, 128, 256, 512, 1000, 2000, 4000, 8000];
const SEEDS = 200;
const TOLERANCE = 0.02;

interface State {
  name: string;
  /** A learner with `draws` posterior draws, in the state. */
  learner(draws: number): Learner;
  context: Float64Array;
  arms: string[];
  exact: Float64Array;
}

/** Copies every arm's statistics of `trained` into a fresh learner of `config` (so only M differs). */
function copyState(trained: Learner, config: LearnerConfig, dimension: number): Learner {
  const learner = createPolicy(config, dimension).learner;
  for (const arm of trained.arms()) learner.load(arm, trained.statistics(arm));
  return learner;
}

function linTsExact(learner: LinTs, context: Float64Array, arms: string[], intervals?: number): Float64Array {
  const means = arms.map((arm) => dot(learner.posterior(arm).mean(), context));
  const deviations = arms.map((arm) => learner.v * Math.sqrt(learner.posterior(arm).quadraticForm(context)));
  return normalArgmaxProbabilities(means, deviations, intervals);
}

function linTsStates(stream: BanditStream): State[] {
  const arms = Array.from({ length: stream.armCount }, (_, k) => String(k));
  const dimension = stream.contexts[0]!.length;
  const states: State[] = [];
  for (const [v, rounds] of [[0.25, 2000], [1, 2000], [0.25, 200]] as const) {
    const config = { kind: 'lints', v } as const;
    const policy = createPolicy(config, dimension);
    replayStream({ ...stream, contexts: stream.contexts.slice(0, rounds), rewards: stream.rewards.slice(0, rounds) }, policy, 'draws');
    const trained = policy.learner as LinTs;
    // The next round's context (typical), and the most uncertain of the next 100 by Σ pₖ(1 − pₖ) on a
    // coarse quadrature (the hardest for Monte Carlo).
    const spread = (t: number) => linTsExact(trained, stream.contexts[t]!, arms, 400).reduce((sum, p) => sum + p * (1 - p), 0);
    let hardest: number = rounds;
    for (let t = rounds + 1; t < rounds + 100; t++) if (spread(t) > spread(hardest)) hardest = t;
    for (const [label, round] of [['next', rounds], ['most uncertain', hardest]] as const) {
      const context = stream.contexts[round]!;
      states.push({
        name: `LinTS v=${v} after ${rounds} rounds of linear-synth, K=10, ${label} context (round ${round})`,
        learner: (draws) => copyState(trained, { ...config, draws }, dimension),
        context,
        arms,
        exact: linTsExact(trained, context, arms),
      });
    }
  }
  return states;
}

/** Beta-Thompson states given as [successes, trials] per arm (prior Beta(1, 1)). */
function betaState(name: string, counts: [number, number][]): State {
  const arms = counts.map((_, k) => String(k));
  const learner = (draws: number) => {
    const thompson = createPolicy({ kind: 'thompson', draws }, 1).learner;
    counts.forEach(([successes, trials], k) => thompson.load(arms[k]!, [trials, successes, trials - successes]));
    return thompson;
  };
  const posteriors = arms.map((arm) => (learner(1) as BetaThompson).posterior(arm));
  return { name, learner, context: new Float64Array(1), arms, exact: betaArgmaxProbabilities(posteriors) };
}

const BETA_STATES = [
  betaState('Beta-Thompson K=5, ~100 trials each (20, 22, 18, 25, 15 / 100)', [[20, 100], [22, 100], [18, 100], [25, 100], [15, 100]]),
  betaState('Beta-Thompson K=5, ~1000 trials each (200, 205, 195, 210, 190 / 1000)', [[200, 1000], [205, 1000], [195, 1000], [210, 1000], [190, 1000]]),
  betaState('Beta-Thompson K=20, ten arms 20/100 and ten 200/1000', [
    ...Array.from({ length: 10 }, (): [number, number] => [20, 100]),
    ...Array.from({ length: 10 }, (): [number, number] => [200, 1000]),
  ]),
  betaState(
    'Beta-Thompson K=20, rates 0.15–0.245, 100–955 trials',
    Array.from({ length: 20 }, (_, k): [number, number] => [Math.round((0.15 + 0.005 * k) * (100 + 45 * k)), 100 + 45 * k]),
  ),
];

interface Point {
  draws: number;
  mean: number;
  p95: number;
  max: number;
  microseconds: number;
}

function curve(state: State): Point[] {
  return DRAWS.map((draws) => {
    const learner = state.learner(draws);
    const errors: number[] = [];
    let elapsed = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const random = seededRandom(`draws:${draws}:${seed}`);
      const start = performance.now();
      // Beta-Thompson caches its estimate per posterior; the curve needs a fresh estimate per seed.
      const estimate =
        learner instanceof BetaThompson
          ? learner.estimateDistribution(state.arms, random)
          : learner.distribution(state.context, state.arms, random);
      elapsed += performance.now() - start;
      errors.push(Math.max(...estimate.map((p, k) => Math.abs(p - state.exact[k]!))));
    }
    errors.sort((x, y) => x - y);
    return {
      draws,
      mean: errors.reduce((sum, error) => sum + error, 0) / SEEDS,
      p95: errors[Math.ceil(0.95 * SEEDS) - 1]!,
      max: errors[SEEDS - 1]!,
      microseconds: (elapsed * 1000) / SEEDS,
    };
  });
}

/** Φ against published values (R `pnorm`, scipy `norm.cdf`), and `simple-statistics`' errorFunction against Φ. */
function cdfCheck(): string {
  const published: [number, number][] = [
    [-5, 2.866515718791939e-7],
    [-3, 0.0013498980316300946],
    [-1.96, 0.024997895148220435],
    [-1, 0.15865525393145707],
    [0.5, 0.6914624612740131],
  ];
  const worst = Math.max(...published.map(([z, value]) => Math.abs(standardNormalCdf(z) - value)));
  let simple = 0;
  for (let z = -8; z <= 8; z += 0.001) {
    simple = Math.max(simple, Math.abs(0.5 * (1 + errorFunction(z / Math.SQRT2)) - standardNormalCdf(z)));
  }
  return [
    `Φ (bench/normal-cdf.ts) differs from published values at z ∈ {−5, −3, −1.96, −1, 0.5} by at most ${worst.toExponential(1)}.`,
    `\`simple-statistics\`' errorFunction gives Φ only to ${simple.toExponential(1)} (max over z ∈ [−8, 8]), so it is not used.`,
  ].join('\n');
}

const stream = await readBanditStream(streamFile('linear-synth'));
const states = [...linTsStates(stream), ...BETA_STATES];
const sections: string[] = [];
const p95ByDraws = new Map<number, number>(DRAWS.map((draws) => [draws, 0]));
/** The same worst case over one learner's states (`LinTS`, `Beta-Thompson`), for its default M. */
const p95ByLearner = new Map<string, Map<number, number>>();
const costs = new Map<number, string[]>(DRAWS.map((draws) => [draws, []]));
for (const state of states) {
  const total = state.exact.reduce((sum, p) => sum + p, 0);
  const points = curve(state);
  const learner = state.name.split(' ')[0]!;
  const learnerP95 = p95ByLearner.get(learner) ?? new Map<number, number>();
  p95ByLearner.set(learner, learnerP95);
  for (const point of points) {
    p95ByDraws.set(point.draws, Math.max(p95ByDraws.get(point.draws)!, point.p95));
    learnerP95.set(point.draws, Math.max(learnerP95.get(point.draws) ?? 0, point.p95));
    costs.get(point.draws)!.push(`${point.microseconds.toFixed(0)} µs (K=${state.arms.length}, ${learner})`);
  }
  const rows = points.map((point) => [
    String(point.draws),
    point.mean.toFixed(4),
    point.p95.toFixed(4),
    point.max.toFixed(4),
    point.microseconds.toFixed(0),
  ]);
  const section = [
    `## ${state.name}`,
    '',
    `exact probabilities: ${[...state.exact].map((p) => p.toFixed(4)).join(', ')} (sum − 1 = ${(total - 1).toExponential(1)})`,
    '',
    markdownTable(['M', 'mean max-abs error', 'p95', 'max over seeds', 'µs / call'], [true, true, true, true, true], rows),
    '',
  ].join('\n');
  console.log(section);
  sections.push(section);
}

const recommended = DRAWS.find((draws) => p95ByDraws.get(draws)! <= TOLERANCE);
const recommendation =
  recommended === undefined
    ? `**Recommendation:** no M up to ${DRAWS.at(-1)} keeps the 95th-percentile max-abs error ≤ ${TOLERANCE} in every state.`
    : `**Recommendation:** M = ${recommended}, the smallest M whose 95th-percentile (over ${SEEDS} seeds) max-abs error is ≤ ${TOLERANCE} in every state above (worst state: ${p95ByDraws.get(recommended)!.toFixed(4)}); cost per distribution call at that M: ${[...new Set(costs.get(recommended)!)].join(', ')}. Defaults in use: LinTS M = ${DEFAULT_LINTS_DRAWS} (worst LinTS state's p95 ${p95ByLearner.get('LinTS')?.get(DEFAULT_LINTS_DRAWS)?.toFixed(4) ?? 'not measured'}; its distribution depends on the context, so it pays this on every decision) and Beta-Thompson M = ${DEFAULT_THOMPSON_DRAWS} (worst Beta-Thompson state's p95 ${p95ByLearner.get('Beta-Thompson')?.get(DEFAULT_THOMPSON_DRAWS)?.toFixed(4) ?? 'not measured'}; computed once per posterior and reused).`;
console.log(recommendation);
await writeResults(
  'thompson-draws.md',
  [
    resultsHeader('Thompson action distribution: Monte Carlo error versus draws M', 'npm run bench:draws'),
    `For each state and M, ${SEEDS} seeded calls of \`learner.distribution\`; error = maxₖ |p̂ₖ − pₖ| against the exact`,
    'probabilities. LinTS exact: P(k) = ∫ φ(t) Πⱼ≠ₖ Φ((μₖ − μⱼ + σₖt)/σⱼ) dt with μₖ = θ̂ₖᵀx and σₖ = v·√(xᵀAₖ⁻¹x) from',
    "the learner's posterior, Simpson's rule with 20,000 intervals on [−12, 12]. Beta-Thompson exact:",
    'P(k) = ∫ fₖ Πⱼ≠ₖ Fⱼ by the midpoint rule on 200,000 cells. Standard error of each p̂ₖ: √(pₖ(1 − pₖ)/M).',
    cdfCheck(),
    '',
    recommendation,
    '',
    ...sections,
  ].join('\n'),
);
