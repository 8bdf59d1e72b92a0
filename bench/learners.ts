import { createPolicy } from '../src/learners/create-policy.js';
import { DEFAULT_LINTS_DRAWS, type LearnerConfig } from '../src/learners/learner-config.js';
import type { Policy } from '../src/learners/policy.js';
import { fillStandardNormal, seededRandom, type Random } from '../src/stats/random.js';
import { medianMicroseconds } from './measure.js';
import { NaiveLinTs } from './naive-lints.js';
import { NaiveLinUcb } from './naive-linucb.js';
import { markdownTable, resultsHeader, writeResults } from './results-file.js';

/**
 * Learner cost benchmark: median µs per decision (`Policy.decide`) and per update (`learner.learn`) of
 * LinUCB and LinTS for d × K, each beside a naive baseline in the same process (fresh Gaussian
 * elimination, and for LinTS a fresh Cholesky factor and M full d-dimensional draws, every decision);
 * Thompson and uniform for K only. Contexts are x ~ N(0, I/d) and rewards Bernoulli(sigmoid(θₖᵀx)) from
 * a seeded generator; every learner first learns `PRETRAINING` rounds per arm. The ratio naive / ours
 * is the figure to read: absolute times move with the machine's load, the ratio much less.
 */
const DIMENSIONS = [8, 16, 32, 64];
const ARM_COUNTS = [5, 20, 100];
const PRETRAINING = 20;
const CONTEXTS = 64;

interface Workload {
  arms: string[];
  contexts: Float64Array[];
  /** Bernoulli reward of arm k for context i, as `rewards[i][k]`. */
  rewards: number[][];
}

function workload(dimension: number, armCount: number, random: Random): Workload {
  const scale = 1 / Math.sqrt(dimension);
  const normal = (length: number) => fillStandardNormal(random, new Float64Array(length)).map((z) => z * scale);
  const thetas = Array.from({ length: armCount }, () => normal(dimension).map((z) => z * Math.sqrt(dimension)));
  const contexts = Array.from({ length: CONTEXTS }, () => normal(dimension));
  const rewards = contexts.map((x) =>
    thetas.map((theta) => (random() < 1 / (1 + Math.exp(-theta.reduce((sum, t, i) => sum + t * x[i]!, 0))) ? 1 : 0)),
  );
  return { arms: Array.from({ length: armCount }, (_, k) => String(k)), contexts, rewards };
}

interface Learns {
  learn(arm: string, context: Float64Array, reward: number, random: Random): void;
}

function pretrain(learner: Learns, load: Workload, random: Random): void {
  for (let round = 0; round < PRETRAINING; round++) {
    load.arms.forEach((arm, k) => {
      const i = (round * load.arms.length + k) % CONTEXTS;
      learner.learn(arm, load.contexts[i]!, load.rewards[i]![k]!, random);
    });
  }
}

function updateCost(learner: Learns, load: Workload, random: Random, budgetMs: number): number {
  return medianMicroseconds((i) => {
    const k = i % load.arms.length;
    const c = i % CONTEXTS;
    learner.learn(load.arms[k]!, load.contexts[c]!, load.rewards[c]![k]!, random);
  }, budgetMs);
}

interface Costs {
  decide: number;
  update: number;
}

function oursCosts(config: LearnerConfig, dimension: number, load: Workload, random: Random, budgetMs: number): Costs {
  const fresh = (): Policy => {
    const policy = createPolicy(config, dimension);
    pretrain(policy.learner, load, random);
    return policy;
  };
  const policy = fresh();
  const decide = medianMicroseconds((i) => policy.decide(load.contexts[i % CONTEXTS]!, load.arms, random), budgetMs);
  return { decide, update: updateCost(fresh().learner, load, random, budgetMs) };
}

type Naive = Learns & { decide(context: Float64Array, candidates: readonly string[], random: Random): number };

function naiveCosts(create: () => Naive, load: Workload, random: Random, budgetMs: number): Costs {
  const naive = create();
  pretrain(naive, load, random);
  const decide = medianMicroseconds((i) => naive.decide(load.contexts[i % CONTEXTS]!, load.arms, random), budgetMs);
  const updating = create();
  pretrain(updating, load, random);
  return { decide, update: updateCost(updating, load, random, budgetMs) };
}

/** Checks that the naive LinUCB picks the same arm as ours on every workload context (same maths, same ties). */
function linUcbAgreement(dimension: number, load: Workload, random: Random): number {
  const ours = createPolicy({ kind: 'linucb', alpha: 1, tieBreak: 'lowest-index' }, dimension);
  const naive = new NaiveLinUcb(dimension, 1);
  pretrain(ours.learner, load, random);
  pretrain(naive, load, random);
  return load.contexts.filter((x) => ours.decide(x, load.arms, random).chosen === naive.decide(x, load.arms)).length;
}

const format = (microseconds: number) => (microseconds >= 100 ? microseconds.toFixed(0) : microseconds.toPrecision(3));
const ratio = (naive: number, ours: number) => `${(naive / ours).toFixed(1)}×`;

const linearHeader = ['d', 'K', 'decide: ours µs', 'naive µs', 'naive / ours', 'update: ours µs', 'naive µs', 'naive / ours'];
const linUcbRows: string[][] = [];
const linTsRows: string[][] = [];
const agreements: string[] = [];
for (const dimension of DIMENSIONS) {
  for (const armCount of ARM_COUNTS) {
    const random = seededRandom(`learners:${dimension}:${armCount}`);
    const load = workload(dimension, armCount, random);
    // Smaller budgets where a single naive LinTS decision already takes a large part of a second.
    const budgetMs = dimension * armCount > 1000 ? 200 : 400;
    const agreeing = linUcbAgreement(dimension, load, random);
    agreements.push(`d=${dimension}, K=${armCount}: ${agreeing}/${CONTEXTS}`);
    for (const [rows, config, createNaive] of [
      [linUcbRows, { kind: 'linucb', alpha: 1, tieBreak: 'lowest-index' }, () => new NaiveLinUcb(dimension, 1)],
      [linTsRows, { kind: 'lints', v: 0.25 }, () => new NaiveLinTs(dimension, 0.25, DEFAULT_LINTS_DRAWS)],
    ] as const) {
      const ours = oursCosts(config, dimension, load, random, budgetMs);
      const naive = naiveCosts(createNaive, load, random, budgetMs);
      const row = [
        String(dimension),
        String(armCount),
        format(ours.decide),
        format(naive.decide),
        ratio(naive.decide, ours.decide),
        format(ours.update),
        format(naive.update),
        ratio(naive.update, ours.update),
      ];
      rows.push(row);
      console.log(`${config.kind}: ${row.join(' | ')}`);
    }
  }
}

const contextFreeRows: string[][] = [];
for (const armCount of ARM_COUNTS) {
  const random = seededRandom(`learners:context-free:${armCount}`);
  const load = workload(8, armCount, random);
  const row = [String(armCount)];
  for (const config of [{ kind: 'thompson' }, { kind: 'uniform' }] as const) {
    const ours = oursCosts(config, 8, load, random, 400);
    row.push(format(ours.decide), format(ours.update));
  }
  contextFreeRows.push(row);
  console.log(`context-free: ${row.join(' | ')}`);
}

const right = (count: number) => Array.from({ length: count }, () => true);
await writeResults(
  'learners.md',
  [
    resultsHeader('Learner cost per decision and per update', 'npm run bench:learners'),
    `Median µs per call over repeated ~10 ms batches after a warm-up, in one process. Contexts x ~ N(0, I/d),`,
    `rewards Bernoulli(sigmoid(θₖᵀx)), ${PRETRAINING} updates per arm before measuring. A decision is`,
    '`Policy.decide` (distribution + draw of the arm); an update is `learner.learn`. The naive baselines',
    '(`bench/naive-linucb.ts`, `bench/naive-lints.ts`) keep A and b per arm and solve afresh by Gaussian',
    `elimination every decision; naive LinTS also factorises A afresh and draws M = ${DEFAULT_LINTS_DRAWS} full`,
    `d-dimensional θ per arm (ours: M = ${DEFAULT_LINTS_DRAWS} one-dimensional score draws per arm).`,
    '',
    '## LinUCB (α = 1, lowest-index ties)',
    '',
    markdownTable(linearHeader, right(linearHeader.length), linUcbRows),
    '',
    `Naive and ours choose the same arm on the workload contexts: ${agreements.join('; ')}.`,
    '',
    '## LinTS (v = 0.25)',
    '',
    markdownTable(linearHeader, right(linearHeader.length), linTsRows),
    '',
    '## Context-free learners (no naive baseline; cost depends on K only)',
    '',
    markdownTable(['K', 'Thompson decide µs', 'Thompson update µs', 'uniform decide µs', 'uniform update µs'], right(5), contextFreeRows),
  ].join('\n'),
);
