import { EvaluationAccumulator, type EvaluationOptions } from './evaluate.js';
import { createEstimator } from './estimators/create-estimator.js';
import type { EvaluationResult, EvaluationRound } from './evaluation-types.js';
import type { RoundSource, SourceRound } from './inputs/round-source.js';
import { batchesOf } from './inputs/row-stream.js';
import type { RewardPredictor } from './reward-model/reward-predictor.js';
import type { TargetDistribution, TargetPolicy } from './targets/target-policy.js';

export interface EvaluateLogOptions extends EvaluationOptions {
  /** q̂ for the model-based estimators; required when one is requested. */
  rewardModel?: RewardPredictor;
  /** Called every `progressEvery` rounds (default 10 000) with the rounds read so far. */
  onProgress?: (rounds: number) => void;
  progressEvery?: number;
}

export interface LogEvaluation extends EvaluationResult {
  /** The target's label. */
  policy: string;
  /** Caveats of the run (target mode, actions unknown to the target), besides each estimate's own. */
  warnings: string[];
}

/**
 * Evaluates one target policy on a logged source in a single streaming pass: each round's π_e(· | xᵢ)
 * (and q̂(xᵢ, ·) when a model-based estimator is requested) becomes an `EvaluationRound` with
 * targetProbability = π_e(aᵢ | xᵢ) (0 when the target does not offer aᵢ), directValue = Σₐ π_e(a|xᵢ) q̂(xᵢ, a),
 * loggedActionPrediction = q̂(xᵢ, aᵢ) and, when the log knows π_b(· | xᵢ), unsupportedTargetMass =
 * Σ π_e(a | xᵢ) over actions with π_b(a | xᵢ) = 0. Memory is the accumulator's, flat in the number of rounds.
 * @throws RangeError when a model-based estimator is requested without a reward model, and whatever the
 * source, target or accumulator throw on bad input.
 */
export async function evaluateLog(source: RoundSource, target: TargetPolicy, options: EvaluateLogOptions): Promise<LogEvaluation> {
  const { rewardModel, onProgress, progressEvery = 10_000, ...evaluation } = options;
  const needsModel = evaluation.estimators.filter((spec) => createEstimator(spec).requiredFields.length > 0).map((spec) => spec.name);
  if (needsModel.length > 0 && !rewardModel) throw new RangeError(`${needsModel.join(', ')} need a reward model (fit one, or pass --qhat)`);
  const accumulator = new EvaluationAccumulator(evaluation);
  let rounds = 0;
  let unknownActions = 0;
  // One round object and one prediction buffer for the whole run: the accumulator copies what it keeps.
  const evaluationRound: EvaluationRound = { reward: 0, propensity: 0, targetProbability: 0 };
  let predictions = new Float64Array(8);
  // Rounds are taken a batch at a time and awaited only when the target or the model answers with a promise.
  for await (const batch of batchesOf(source())) {
    for (const round of batch) {
      const pending = target.next(round);
      const { actions, probabilities }: TargetDistribution = pending instanceof Promise ? await pending : pending;
      const logged = actions.indexOf(round.action);
      if (logged < 0) unknownActions++;
      evaluationRound.reward = round.reward;
      evaluationRound.propensity = round.propensity;
      evaluationRound.targetProbability = logged < 0 ? 0 : probabilities[logged]!;
      if (rewardModel) {
        if (predictions.length < actions.length) predictions = new Float64Array(actions.length);
        const predicted = rewardModel.next(round, actions, predictions);
        const q = predicted instanceof Promise ? await predicted : predicted;
        let direct = 0;
        for (let a = 0; a < actions.length; a++) direct += probabilities[a]! * q[a]!;
        evaluationRound.directValue = direct;
        evaluationRound.loggedActionPrediction = logged < 0 ? 0 : q[logged]!;
      }
      evaluationRound.unsupportedTargetMass = round.probabilities ? unsupportedMass(round, actions, probabilities) : undefined;
      accumulator.add(evaluationRound);
      if (onProgress && ++rounds % progressEvery === 0) onProgress(rounds);
    }
  }
  await target.finish();
  await rewardModel?.finish();
  const result = accumulator.result();
  const warnings = [...target.warnings];
  if (unknownActions > 0) {
    warnings.push(`${unknownActions} of ${result.rows} logged actions are not actions of the target policy (counted with π_e = 0)`);
  }
  return { policy: target.label, ...result, warnings };
}

function unsupportedMass(round: SourceRound, actions: readonly string[], probabilities: ArrayLike<number>): number {
  let mass = 0;
  for (let a = 0; a < actions.length; a++) {
    if (!((round.probabilities?.[actions[a]!] ?? 0) > 0)) mass += probabilities[a]!;
  }
  return Math.min(1, Math.max(0, mass));
}
