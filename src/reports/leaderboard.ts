import type { Database } from '../db/database.js';
import { evaluateLog } from '../evaluation/evaluate-log.js';
import type { EstimateResult, EstimatorSpec } from '../evaluation/evaluation-types.js';
import { readDecisionLog } from '../evaluation/inputs/read-decision-log.js';
import { fitCrossFittedRidge } from '../evaluation/reward-model/cross-fitted-ridge.js';
import { createPolicyTarget, type PolicyTargetSpec } from '../evaluation/targets/policy-target.js';
import type { SurfaceConfig } from '../surfaces/surface.js';
import { toReportInterval } from './report-interval.js';
import type { Leaderboard, LeaderboardEntry, ReportInterval } from './report-types.js';

const ESTIMATORS: EstimatorSpec[] = [{ name: 'snips' }, { name: 'dr' }];

export interface LeaderboardInput {
  config: SurfaceConfig;
  /** The uniform policy arm whose traffic is replayed. */
  control: string;
  /** Half-open window [from, to) of the control's decisions. */
  from: Date;
  to: Date;
  /** Policy configs to value besides the surface's own policy arms. */
  candidates: readonly PolicyTargetSpec[];
  level: number;
}

/**
 * Values every policy config of the surface, and any extra candidates, on the control arm's traffic.
 * The control logs uniformly at random, so running each config along it in `replay` mode (Li, Chu,
 * Langford & Wang, "Unbiased offline evaluation of contextual-bandit-based news article recommendation
 * algorithms", WSDM 2011) sees the data the config would have learned from; SNIPS and DR (with a
 * cross-fitted ridge reward model) value it with their delta-method intervals (see `evaluateLog`).
 * Reads the control's decisions row by row: once for the reward model and once per config.
 */
export async function buildLeaderboard(db: Database, input: LeaderboardInput): Promise<Leaderboard> {
  const { config, control, from, to, level } = input;
  const source = () => readDecisionLog(db, { surface: config.id, from, to, policyArm: control });
  const arms = config.arms.map((arm) => arm.id);
  const specs: PolicyTargetSpec[] = [
    ...config.policyArms.map((arm) => ({ label: `${config.id}/${arm.id}`, learner: arm.learner, features: config.features, arms })),
    ...input.candidates,
  ];
  const rewardModel = await fitCrossFittedRidge(source);
  let rounds = 0;
  const entries: LeaderboardEntry[] = [];
  for (const spec of specs) {
    const evaluation = await evaluateLog(source, createPolicyTarget(spec, 'replay', `report:${config.id}`), {
      estimators: ESTIMATORS,
      bootstrap: 0,
      seed: `report:${config.id}`,
      level,
      rewardModel: rewardModel(),
    });
    rounds = evaluation.rows;
    const [snips, dr] = evaluation.estimates;
    entries.push({
      policy: spec.label,
      learner: spec.learner.kind,
      snips: toInterval(snips!),
      dr: toInterval(dr!),
      warnings: [...evaluation.warnings, ...evaluation.estimates.flatMap((estimate) => estimate.warnings.map((w) => `${estimate.estimator}: ${w}`))],
    });
  }
  return { policyArm: control, rounds, mode: 'replay', entries };
}

function toInterval({ value, normalCi: [low, high] }: EstimateResult): ReportInterval {
  return toReportInterval({ estimate: value, low, high });
}
