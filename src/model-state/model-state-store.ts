/**
 * Where the learners' additive statistics are shared between replicas. One model is identified by its
 * key (surface, policy arm, learner kind, feature-schema version); it holds a vector per arm and a
 * version that grows with every applied increment.
 *
 * The store is rebuildable: everything in it is a sum of increments that `rebuild-model` recomputes from
 * the decision log.
 */
export interface ModelSnapshot {
  /** Number of decisions learned into the statistics; logged with each decision as its model version. */
  version: number;
  arms: Map<string, Float64Array>;
}

export interface ModelStateStore {
  /**
   * Adds the increment that one decision's reward contributes to `arm`, atomically and at most once per
   * decision: a second call with the same decision id changes nothing and returns false.
   */
  applyIncrement(modelKey: string, decisionId: string, arm: string, increment: Float64Array): Promise<boolean>;
  /** The model's current version, cheap enough to poll. */
  version(modelKey: string): Promise<number>;
  /** The model's statistics; `length` is the learner's statistics length. */
  read(modelKey: string, length: number): Promise<ModelSnapshot>;
  /**
   * Replaces the model's statistics with a rebuild from the log that folded `version` decisions, keeping
   * the at-most-once markers; the version stays the number of decisions learned.
   */
  replace(modelKey: string, arms: ReadonlyMap<string, Float64Array>, version: number): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
