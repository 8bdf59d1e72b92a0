import { learningCurveSvg } from './learning-curve-svg.js';
import { cumulativeAverage } from './policy-arm-comparison.js';
import { markdownTable } from './results-file.js';
import type { StreamSimulationOptions, StreamSimulationResult } from './stream-simulation.js';
import { STREAM_POLICY_ARMS } from './stream-surface.js';

/** Line colours by policy arm, in the order of `STREAM_POLICY_ARMS` (colour-blind-safe, Okabe & Ito 2008). */
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7'];

/** What every section of the results file shares: the protocol, the reward rule and the bar. */
export function simulationPreamble(options: Pick<StreamSimulationOptions, 'concurrency' | 'schedule' | 'bar'>): string {
  const { schedule } = options;
  return [
    'Each row of a full-information stream is one listener visit. The command starts two service replicas (child processes, `src/main.ts`) on a Postgres database and a Redis key prefix of their own, serving a surface derived from the stream: one numeric feature per `x_*` column (a column that is 1 in every row is left out, since the encoder adds its own intercept), one arm per `r_*` column, a binary reward with default 0, per-request policy-arm assignment.',
    `Visits alternate between the replicas, ${options.concurrency} \`/choose\` requests in flight. The listener's reward is the stream's reward of the arm shown. Clicks are posted after an exponential delay (mean ${schedule.meanDelayMs} ms) to a replica drawn at random; ${percentOf(schedule.silentNonClick)} of non-clicks are never posted (the client reports only positive events; the default 0 applies when the window closes); ${percentOf(schedule.lost)} of all rewards are lost on the way; ${percentOf(schedule.duplicate)} of posted rewards are posted again to the other replica after a second delay, and must be refused as duplicates.`,
    `The baseline is the same learner (same configuration through \`createPolicy\`, same encoded contexts) run in this process by \`replayStream\` on **the rows the service gave that policy arm, in the same order**, learning every reward at once. The realised reward of a decision is the stream's reward of the chosen arm, whether or not it was posted. A learning policy arm passes when its service average reaches ${percentOf(options.bar)} of the in-process one; the uniform control learns nothing, so its ratio only measures the noise between two random draws and is not gated. The command exits with status 1 when a learning policy arm fails.`,
    '',
  ].join('\n\n');
}

function percentOf(share: number): string {
  return `${Number((100 * share).toFixed(2))} %`;
}

/** The section of the results file for one stream: set-up, per-policy-arm comparison and bookkeeping. */
export function simulationSection(name: string, plotFile: string, options: StreamSimulationOptions, result: StreamSimulationResult): string {
  const { tally, ledger } = result;
  const { schedule } = options;
  const ledgerOf = new Map(ledger.policyArms.map((row) => [row.policy, row]));
  const rows = result.policyArms.map(({ comparison }) => {
    const learner = STREAM_POLICY_ARMS.find((policyArm) => policyArm.id === comparison.policy)?.learner;
    const row = ledgerOf.get(comparison.policy);
    return [
      comparison.policy,
      `\`${JSON.stringify(learner)}\``,
      String(comparison.decisions),
      comparison.serviceAverage.toFixed(4),
      comparison.inProcessAverage.toFixed(4),
      Number.isFinite(comparison.ratio) ? `${(100 * comparison.ratio).toFixed(1)} %` : '∞',
      comparison.gated ? (comparison.passes ? 'pass' : '**fail**') : 'control, not gated',
      String(row?.observed ?? 0),
      String(row?.defaulted ?? 0),
      String(row?.learned ?? 0),
      String(row?.modelVersion ?? 0),
    ];
  });
  const visits = tally.decisions.length;
  return [
    `## ${name} (${visits.toLocaleString('en')} visits, K = ${options.stream.armCount})`,
    '',
    markdownTable(
      ['policy arm', 'learner', 'decisions', 'service avg reward', 'in-process avg reward', 'ratio', `≥ ${percentOf(options.bar)}`, 'observed rewards', 'default rewards', 'learned (Postgres)', 'model version (Redis)'],
      [false, false, true, true, true, true, false, true, true, true, true],
      rows,
    ),
    '',
    `Rewards: ${tally.recorded.toLocaleString('en')} posts recorded; ${tally.duplicatesRefused} second posts refused as duplicates (the service counted ${ledger.duplicates}); ${tally.recordedTwice} decisions recorded twice; ${tally.late} posts after the window (410); never posted: ${tally.silent.toLocaleString('en')} silent non-clicks and ${tally.lost} lost rewards, which took the default 0 when their window closed. Every one of the ${visits.toLocaleString('en')} acknowledged decisions is in Postgres: ${ledger.found === visits ? 'yes' : `**no, ${ledger.found}**`}. Each model's version (increments applied in Redis) equals its learned decisions in Postgres: ${ledger.policyArms.every((row) => row.modelVersion === row.learned) ? 'yes' : '**no**'}.`,
    '',
    `Timing: the visits took ${result.drivingSeconds.toFixed(1)} s (${(visits / result.drivingSeconds).toFixed(0)} decisions/s over both replicas), and the last windows closed and were learned ${result.settlingSeconds.toFixed(1)} s later. Reward delay: exponential with mean ${schedule.meanDelayMs} ms; attribution window ${options.attributionWindowSeconds} s; replicas refresh their models every ${options.modelStalenessMs} ms and sweep every ${options.sweepIntervalMs} ms.`,
    '',
    `![Cumulative average reward by round, service (solid) and in process (dashed)](${plotFile})`,
    '',
  ].join('\n');
}

/** Cumulative average reward against the policy arm's own round: service solid, in process dashed. */
export function simulationPlot(name: string, result: StreamSimulationResult): string {
  const series = result.policyArms.flatMap(({ comparison, serviceRewards, inProcessRewards }, i) => {
    const color = COLORS[i % COLORS.length]!;
    return [
      { label: `${comparison.policy}, service`, color, dashed: false, values: cumulativeAverage(serviceRewards) },
      { label: `${comparison.policy}, in process`, color, dashed: true, values: cumulativeAverage(inProcessRewards) },
    ];
  });
  return learningCurveSvg(series, {
    title: `${name}: cumulative average reward, service (two replicas) vs in process`,
    x: "round (the policy arm's own decisions)",
    y: 'cumulative average reward',
  });
}
