import { createContextEncoder, type ContextEncoder } from '../learners/context-encoder.js';
import { createPolicy } from '../learners/create-policy.js';
import type { Policy } from '../learners/policy.js';
import { repeatEvery } from '../repeat-every.js';
import type { Surface } from '../surfaces/surface.js';
import { modelKey } from './model-key.js';
import type { ModelStateStore } from './model-state-store.js';

/** One policy arm's decision rule as this replica currently sees it. */
export interface LiveModel {
  readonly key: string;
  readonly surface: Surface;
  readonly policyArmId: string;
  readonly policy: Policy;
  readonly encoder: ContextEncoder;
  /** The store's version of the statistics this replica last loaded. */
  version: number;
}

/**
 * Each replica decides from an in-memory copy of the shared statistics, so `/choose` makes no round trip
 * to the model store. `refresh` (run every `stalenessMs` by `start`) polls each model's version and
 * reloads the ones that changed: a replica's view is at most one refresh interval behind the store.
 */
export class ModelCache {
  private readonly models = new Map<string, LiveModel>();
  private stopRefreshing: (() => void) | undefined;

  constructor(
    private readonly store: ModelStateStore,
    surfaces: readonly Surface[],
  ) {
    for (const surface of surfaces) {
      const encoder = createContextEncoder(surface.config.features);
      for (const policyArm of surface.config.policyArms) {
        const key = modelKey(surface, policyArm.id);
        const policy = createPolicy(policyArm.learner, encoder.dimension);
        this.models.set(cacheKey(surface.config.id, policyArm.id), {
          key,
          surface,
          policyArmId: policyArm.id,
          policy,
          encoder,
          version: -1,
        });
      }
    }
  }

  /** The live model of a policy arm. @throws RangeError for a pair the catalog does not have. */
  get(surfaceId: string, policyArmId: string): LiveModel {
    const model = this.models.get(cacheKey(surfaceId, policyArmId));
    if (!model) throw new RangeError(`no model for surface "${surfaceId}" and policy arm "${policyArmId}"`);
    return model;
  }

  /** The live model that learns into `key`, if this replica serves it. */
  byKey(key: string): LiveModel | undefined {
    for (const model of this.models.values()) if (model.key === key) return model;
    return undefined;
  }

  all(): LiveModel[] {
    return [...this.models.values()];
  }

  /**
   * Reloads every model whose version in the store differs from the loaded one, except the models in
   * `keep` (the store lost them; this replica serves its last snapshot until they are restored).
   */
  async refresh(keep: ReadonlySet<string> = new Set()): Promise<void> {
    await Promise.all(
      this.all().filter((model) => !keep.has(model.key)).map(async (model) => {
        const version = await this.store.version(model.key);
        if (version === model.version) return;
        const { learner } = model.policy;
        const snapshot = await this.store.read(model.key, learner.statisticsLength);
        for (const [arm, statistics] of snapshot.arms) learner.load(arm, statistics);
        // An arm the store no longer holds (its model was lost or replaced) goes back to the prior.
        for (const arm of learner.arms()) {
          if (!snapshot.arms.has(arm)) learner.load(arm, new Float64Array(learner.statisticsLength));
        }
        model.version = snapshot.version;
      }),
    );
  }

  /** Refreshes every `stalenessMs` until `stop`; a failed refresh keeps serving the last snapshot. */
  start(stalenessMs: number, onError: (error: unknown) => void): void {
    this.stopRefreshing = repeatEvery(stalenessMs, () => this.refresh(), onError);
  }

  stop(): void {
    this.stopRefreshing?.();
  }
}

function cacheKey(surfaceId: string, policyArmId: string): string {
  return `${surfaceId}\u0000${policyArmId}`;
}
