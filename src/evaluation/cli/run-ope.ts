import { UsageError } from '../../cli/command-line.js';
import type { Database } from '../../db/database.js';
import { createEstimator } from '../estimators/create-estimator.js';
import { evaluateLog, type LogEvaluation } from '../evaluate-log.js';
import { readDecisionLog } from '../inputs/read-decision-log.js';
import { readLoggedFeedback } from '../inputs/read-logged-feedback.js';
import type { RoundSource } from '../inputs/round-source.js';
import { fitCrossFittedRidge } from '../reward-model/cross-fitted-ridge.js';
import { openPredictionFile } from '../reward-model/prediction-file.js';
import type { RewardPredictor } from '../reward-model/reward-predictor.js';
import { loadPolicyFile } from '../targets/load-policy-targets.js';
import { createPolicyTarget } from '../targets/policy-target.js';
import { policySnapshot, writePolicySnapshot } from '../targets/policy-snapshot.js';
import { openProbabilitiesTarget } from '../targets/probabilities-file-target.js';
import type { TargetPolicy } from '../targets/target-policy.js';
import type { OpeOptions } from './ope-options.js';

export interface OpeDependencies {
  /** The decision log's database, opened only for a `--surface` source; closed by the caller. */
  database: () => Promise<Database>;
  /** Rounds read so far in the current pass. */
  onProgress?: (rounds: number, pass: string) => void;
}

/**
 * Runs the `ope` command: opens the source, fits the reward model when an estimator needs one (a first
 * pass over the source), and evaluates each target policy in one more pass each.
 * @throws UsageError for options that only the files can show to be inconsistent; the readers' errors otherwise.
 */
export async function runOpe(options: OpeOptions, dependencies: OpeDependencies): Promise<LogEvaluation[]> {
  const source = await openSource(options, dependencies);
  const progress = (pass: string) => (dependencies.onProgress ? (rounds: number) => dependencies.onProgress!(rounds, pass) : undefined);
  const rewardModel = await openRewardModel(options, source);
  const evaluations: LogEvaluation[] = [];
  for (const open of await targetOpeners(options)) {
    const { target, afterRun } = await open();
    const onProgress = progress(target.label);
    const evaluation = await evaluateLog(source, target, {
      estimators: options.estimators,
      bootstrap: options.bootstrap,
      seed: options.seed,
      level: options.level,
      ...(rewardModel ? { rewardModel: await rewardModel() } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    await afterRun?.();
    evaluations.push(evaluation);
  }
  return evaluations;
}

async function openSource(options: OpeOptions, dependencies: OpeDependencies): Promise<RoundSource> {
  const { source } = options;
  if (source.kind === 'file') return () => readLoggedFeedback(source.file);
  const db = await dependencies.database();
  const filter = { surface: source.surface, from: source.from, to: source.to, ...(source.policyArm ? { policyArm: source.policyArm } : {}) };
  return () => readDecisionLog(db, filter);
}

async function openRewardModel(options: OpeOptions, source: RoundSource): Promise<(() => Promise<RewardPredictor> | RewardPredictor) | undefined> {
  if (!options.estimators.some((spec) => createEstimator(spec).requiredFields.length > 0)) return undefined;
  const { qhat } = options;
  if (qhat !== undefined) return () => openPredictionFile(qhat);
  return fitCrossFittedRidge(source, { folds: options.folds });
}

type TargetOpener = () => Promise<{ target: TargetPolicy; afterRun?: () => Promise<void> }>;

async function targetOpeners(options: OpeOptions): Promise<TargetOpener[]> {
  const openers: TargetOpener[] = [];
  for (const target of options.targets) {
    if (target.kind === 'probabilities') {
      openers.push(async () => ({ target: await openProbabilitiesTarget(target.file) }));
      continue;
    }
    const { kind, specs } = await loadPolicyFile(target.file, options.targetPolicyArm);
    if (options.saveSnapshot !== undefined && specs.length > 1) {
      throw new UsageError(`--save-snapshot needs a single policy, but ${target.file} has ${specs.length} policy arms: add --target-policy-arm`);
    }
    for (const spec of specs) {
      openers.push(async () => {
        const policyTarget = createPolicyTarget(spec, kind === 'snapshot' ? 'frozen' : options.mode, options.seed);
        const file = options.saveSnapshot;
        if (file === undefined) return { target: policyTarget };
        return {
          target: policyTarget,
          afterRun: () => writePolicySnapshot(file, policySnapshot(spec.learner, spec.features, policyTarget.policy, spec.arms)),
        };
      });
    }
  }
  return openers;
}
