import type { RoundSource } from '../inputs/round-source.js';
import { batchesOf } from '../inputs/row-stream.js';
import { HashedContextEncoder } from './hashed-context.js';
import type { RewardPredictor } from './reward-predictor.js';
import { fitRidge, RidgeStatistics } from './ridge-regression.js';

export interface CrossFittedRidgeOptions {
  /** K ≥ 2 folds; row i belongs to fold i mod K (K = 2: even and odd rows). Default 2. */
  folds?: number;
  /** Ridge penalty λ > 0. Default 1. */
  lambda?: number;
  /** Feature-hashing bits b: d = 1 + 2ᵇ (see `HashedContextEncoder`). Default 6. */
  hashBits?: number;
}

/**
 * Fits the reward model of the model-based estimators (DM, DR, SNDR, Switch-DR, DRos): one ridge
 * regression per action, q̂(x, a) = θₐᵀφ(x), on the hashed context φ(x), with K-fold cross-fitting
 * (Chernozhukov et al., "Double/debiased machine learning", 2018; Narita, Yasui & Yata 2021 for OPE):
 * the prediction for a row of fold k comes from the model fit on the other K − 1 folds, so no row is
 * predicted by a model that saw its own reward and the doubly robust correction stays honest.
 *
 * Two passes over `source`, nothing held in between but the statistics: pass one (here) accumulates
 * Σ φφᵀ and Σ rφ per fold and action, O(K·|A|·d²) memory whatever the number of rows; each predictor the
 * returned function opens makes pass two, in lock-step with an evaluation's own pass (one per target
 * policy, the fit shared). An action absent from the other folds predicts 0.
 * @throws RangeError on a bad option.
 */
export async function fitCrossFittedRidge(source: RoundSource, options: CrossFittedRidgeOptions = {}): Promise<() => RewardPredictor> {
  const folds = options.folds ?? 2;
  const lambda = options.lambda ?? 1;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer ≥ 2, got ${folds}`);
  const encoder = new HashedContextEncoder(options.hashBits ?? 6);
  const d = encoder.dimension;
  const statistics = new Map<string, RidgeStatistics[]>();
  let index = 0;
  for await (const batch of batchesOf(source())) {
    for (const round of batch) {
      let perFold = statistics.get(round.action);
      if (!perFold) statistics.set(round.action, (perFold = Array.from({ length: folds }, () => new RidgeStatistics(d))));
      perFold[index++ % folds]!.add(encoder, round.reward, encoder.encodeInPlace(round.context));
    }
  }
  // θ[k][a]: the model for rows of fold k, fit on every other fold.
  const weights = new Map<string, Float64Array[]>();
  for (const [action, perFold] of statistics) {
    weights.set(
      action,
      perFold.map((_, k) => fitRidge(perFold.filter((__, other) => other !== k), d, lambda)),
    );
  }
  return () => {
    let row = 0;
    // θ per fold of each offered action, looked up again only when the action list changes (a target
    // usually offers the same array every round).
    let offered: readonly string[] | undefined;
    let thetas: Array<Float64Array[] | undefined> = [];
    return {
      next(round, actions, into) {
        const fold = row++ % folds;
        if (actions !== offered) {
          offered = actions;
          thetas = actions.map((action) => weights.get(action));
        }
        const count = encoder.encodeInPlace(round.context);
        const { indices, values } = encoder;
        const predictions = into ?? new Float64Array(actions.length);
        for (let a = 0; a < actions.length; a++) {
          const theta = thetas[a]?.[fold];
          let sum = 0;
          if (theta) for (let p = 0; p < count; p++) sum += theta[indices[p]!]! * values[p]!;
          predictions[a] = sum;
        }
        return predictions;
      },
      finish() {
        if (row !== index) throw new RangeError(`the reward model was fit on ${index} rounds but asked for ${row}: the source changed between passes`);
      },
    };
  };
}
