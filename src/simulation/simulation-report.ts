import { learningCurveSvg } from './learning-curve-svg.js';
import { cumulativeAverage } from './policy-arm-comparison.js';
import { markdownTable } from './results-file.js';
import type { RewardScheduleOptions } from './reward-schedule.js';
import { meanCurve, type SeedSummary } from './seed-summary.js';
import type { SimulationScenario } from './simulation-scenario.js';
import type { StreamSimulationOptions, StreamSimulationResult } from './stream-simulation.js';
import { STREAM_POLICY_ARMS } from './stream-surface.js';

/** Line colours by policy arm, in the order of `STREAM_POLICY_ARMS` (colour-blind-safe, Okabe & Ito 2008). */
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7'];

/** One stream's runs, one per population seed, and what they say together. */
export interface StreamRuns {
  name: string;
  plotFile: string;
  /** The options every seed's run shares, and the bar of the mean ratio. */
  options: Omit<StreamSimulationOptions, 'seed' | 'log'> & { bar: number };
  runs: Array<{ seed: string; result: StreamSimulationResult }>;
  /** Per policy arm, in the order of `STREAM_POLICY_ARMS`. */
  summaries: SeedSummary[];
}

/** What every section of a results file shares: the protocol, the reward rule, the gate and the scenario. */
export function simulationPreamble(scenario: SimulationScenario, options: { concurrency: number; schedule: RewardScheduleOptions; bar: number; seeds: readonly string[] }): string {
  const { schedule } = options;
  const silence =
    schedule.silentNonClick > 0
      ? `; ${percentOf(schedule.silentNonClick)} of non-clicks are never posted (the client reports only positive events; the default 0 applies when the window closes)`
      : '';
  const gate = scenario.gated
    ? `A learning policy arm passes when the **mean of its ratios over the seeds** reaches ${percentOf(options.bar)}: one run's ratio carries the luck of one learning path, on the service's side and on the baseline's, and several seeds measure the issue's "at least 95 % of the in-process reward" better than one; the spread (standard deviation, least and greatest seed) is printed beside it. The uniform control learns nothing, so its ratio only measures the noise between two random draws and is not gated. The command exits with status 1 when a learning policy arm fails.`
    : 'This is a **stress scenario: measured and reported, not gated**; the command exits with status 0 whatever the ratios.';
  return [
    'Each row of a full-information stream is one listener visit. The command starts two service replicas (child processes, `src/main.ts`) on a Postgres database and a Redis key prefix of their own, serving a surface derived from the stream: one numeric feature per `x_*` column (a column that is 1 in every row is left out, since the encoder adds its own intercept), one arm per `r_*` column, a binary reward with default 0, per-request policy-arm assignment.',
    `Visits alternate between the replicas, ${options.concurrency} \`/choose\` requests in flight. The listener's reward is the stream's reward of the arm shown. Rewards, clicks and non-clicks alike, are posted after an exponential delay (mean ${schedule.meanDelayMs} ms) to a replica drawn at random${silence}; ${percentOf(schedule.lost)} of all rewards are lost on the way and take the default 0 when their window closes; ${percentOf(schedule.duplicate)} of posted rewards are posted again to the other replica after a second delay, and must be refused as duplicates.`,
    `The baseline is the same learner (same configuration through \`createPolicy\`, same encoded contexts) run in this process by \`replayStream\` on **the rows the service gave that policy arm, in the same order**, learning every reward at once. The realised reward of a decision is the stream's reward of the chosen arm, whether or not it was posted. Each stream is run once per population seed (${options.seeds.join(', ')}: the seed draws the reward plans and the replica routing; the service's own draws are not seeded). ${gate}`,
    SCENARIO_NOTES[scenario.name],
    '',
  ].join('\n\n');
}

const SCENARIO_NOTES: Record<SimulationScenario['name'], string> = {
  standard:
    '**Scenario: standard (gated).** The issue\'s population posts rewards "after a random delay (some never, some twice)". Here "some never" is the share lost on the way: a reward of either value that never arrives, as from a killed app, and takes the default when its window closes. No non-click is held back on purpose. A client that reports only clicks tests a different claim, that the service learns as well when many zeros reach it only as defaults a whole attribution window late; that case is the stress scenario, reported but not gated, with its diagnosis and the remedy that is not built, measured over the same seeds in [simulate-silent-non-clicks.md](simulate-silent-non-clicks.md) (`npm run simulate -- --scenario silent-non-clicks --stream …`).',
  'silent-non-clicks': [
    '**Scenario: silent non-clicks (stress, not gated).** Half the non-clicks are never posted, as from a client that reports only positive events; their zeros reach the model only as defaults when the 2 s window closes, some 350 decisions later at 175 decisions/s, while the clicks of the same decisions arrive after about 300 ms. ',
    'The suspicion that made this a scenario of its own (from one run in which LinUCB kept 94.0 % of its in-process reward): at any moment the learned part of an arm\'s recent decisions holds all of its clicks and only some of its zeros, so the arms chosen most lately look better than they are; a greedy learner (LinUCB with ε = 0) keeps choosing the arm it has just over-rated and may settle on a second-best one, while LinTS draws a fresh estimate from its posterior at every decision and samples its way off. ',
    'It predicts LinUCB\'s mean ratio to be lower here than in the gated scenario ([simulate.md](simulate.md)), which differs only in posting every non-click after the same random delay as the clicks, on the same seeds. Where the tables below show no such drop, the bias is real but its effect is within the seed-to-seed spread at this window and rate, and one run\'s ratio swings as much in either scenario: the in-process baseline is one learning path too. ',
    'The known remedy for the bias is to count each pending decision as a provisional zero from the moment it is made, until its reward arrives or its window closes (Vernade, Carpentier, Lattimore, Zappella, Ermis & Brueckner 2020, "Linear bandits with stochastic delayed feedback", ICML): the model then sees every zero at once and is corrected when a click arrives. **It is not built**: the service learns a decision once, when its reward is known.',
  ].join(''),
};

function percentOf(share: number): string {
  return `${Number((100 * share).toFixed(2))} %`;
}

function ratioText(ratio: number): string {
  return Number.isFinite(ratio) ? `${(100 * ratio).toFixed(1)} %` : '∞';
}

/** The section of a results file for one stream: the ratios over seeds, each run's books, and the plot. */
export function simulationSection(stream: StreamRuns): string {
  const { options, runs, summaries } = stream;
  const summaryRows = summaries.map((summary) => [
    summary.policy,
    `\`${JSON.stringify(STREAM_POLICY_ARMS.find((policyArm) => policyArm.id === summary.policy)?.learner)}\``,
    summary.ratios.map(ratioText).join(', '),
    `**${ratioText(summary.mean)}**`,
    `${(100 * summary.sd).toFixed(1)} pp`,
    `${ratioText(summary.min)} – ${ratioText(summary.max)}`,
    verdict(summary),
  ]);
  const runRows = runs.flatMap(({ seed, result }) => {
    const ledgerOf = new Map(result.ledger.policyArms.map((row) => [row.policy, row]));
    return result.policyArms.map(({ comparison }) => {
      const row = ledgerOf.get(comparison.policy);
      return [
        seed,
        comparison.policy,
        String(comparison.decisions),
        comparison.serviceAverage.toFixed(4),
        comparison.inProcessAverage.toFixed(4),
        ratioText(comparison.ratio),
        String(row?.observed ?? 0),
        String(row?.defaulted ?? 0),
        String(row?.learned ?? 0),
        String(row?.modelVersion ?? 0),
      ];
    });
  });
  const visits = runs[0]?.result.tally.decisions.length ?? 0;
  return [
    `## ${stream.name} (${visits.toLocaleString('en')} visits a seed, K = ${options.stream.armCount})`,
    '',
    markdownTable(
      ['policy arm', 'learner', 'ratio by seed', 'mean ratio', 'sd', 'least – greatest', `mean ≥ ${percentOf(options.bar)}`],
      [false, false, true, true, true, true, false],
      summaryRows,
    ),
    '',
    'Each run:',
    '',
    markdownTable(
      ['seed', 'policy arm', 'decisions', 'service avg reward', 'in-process avg reward', 'ratio', 'observed rewards', 'default rewards', 'learned (Postgres)', 'model version (Redis)'],
      [false, false, true, true, true, true, true, true, true, true],
      runRows,
    ),
    '',
    ...runs.map(({ seed, result }) => `- ${bookkeeping(seed, result)}`),
    '',
    `Reward delay: exponential with mean ${options.schedule.meanDelayMs} ms; attribution window ${options.attributionWindowSeconds} s; replicas refresh their models every ${options.modelStalenessMs} ms and sweep every ${options.sweepIntervalMs} ms.`,
    '',
    `![Cumulative average reward by round, mean over the seeds: service (solid) and in process (dashed)](${stream.plotFile})`,
    '',
  ].join('\n');
}

function verdict(summary: SeedSummary): string {
  if (summary.gated) return summary.passes ? 'pass' : '**fail**';
  return STREAM_POLICY_ARMS.find((policyArm) => policyArm.id === summary.policy)?.learner.kind === 'uniform' ? 'control, not gated' : 'stress, not gated';
}

function bookkeeping(seed: string, result: StreamSimulationResult): string {
  const { tally, ledger } = result;
  const visits = tally.decisions.length;
  return [
    `Seed ${seed}: ${tally.recorded.toLocaleString('en')} posts recorded; ${tally.duplicatesRefused} second posts refused as duplicates (the service counted ${ledger.duplicates}); ${tally.recordedTwice} decisions recorded twice; ${tally.late} posts after the window (410);`,
    `never posted: ${tally.silent.toLocaleString('en')} silent non-clicks and ${tally.lost} lost rewards, which took the default 0 when their window closed.`,
    `All ${visits.toLocaleString('en')} acknowledged decisions in Postgres: ${ledger.found === visits ? 'yes' : `**no, ${ledger.found}**`}; each model's version (increments applied in Redis) equals its learned decisions: ${ledger.policyArms.every((row) => row.modelVersion === row.learned) ? 'yes' : '**no**'}.`,
    `Visits ${result.drivingSeconds.toFixed(1)} s (${(visits / result.drivingSeconds).toFixed(0)} decisions/s over both replicas); the last windows closed and were learned ${result.settlingSeconds.toFixed(1)} s later.`,
  ].join(' ');
}

/** Cumulative average reward against the policy arm's own round, mean over the seeds: service solid, in process dashed. */
export function simulationPlot(stream: StreamRuns): string {
  const series = STREAM_POLICY_ARMS.flatMap((policyArm, i) => {
    const color = COLORS[i % COLORS.length]!;
    const runsOf = stream.runs.map(({ result }) => result.policyArms.find(({ comparison }) => comparison.policy === policyArm.id)!);
    return [
      { label: `${policyArm.id}, service`, color, dashed: false, values: meanCurve(runsOf.map((run) => cumulativeAverage(run.serviceRewards))) },
      { label: `${policyArm.id}, in process`, color, dashed: true, values: meanCurve(runsOf.map((run) => cumulativeAverage(run.inProcessRewards))) },
    ];
  });
  return learningCurveSvg(series, {
    title: `${stream.name}: cumulative average reward, service (two replicas) vs in process, mean of ${stream.runs.length} seeds`,
    x: "round (the policy arm's own decisions)",
    y: 'cumulative average reward',
  });
}
