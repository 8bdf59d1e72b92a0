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
  private models: Map<string, LiveModel>;
  private stopRefreshing: (() => void) | undefined;

  constructor(
    private readonly store: ModelStateStore,
    surfaces: readonly Surface[],
  ) {
    this.models = buildModels(surfaces);
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
        if (version !== model.version) await this.load(model);
      }),
    );
  }

  /**
   * The models of a reloaded configuration, loaded before any of them serves: `install` swaps them in at
   * once, and until then this cache serves the old ones. A model whose key is unchanged gets a policy
   * with the new parameters (ε, α, v, draws) over the statistics learned so far; a new key (a new policy
   * arm, learner kind or feature schema) starts from the store's statistics, after `restoreNew` when the
   * store needs it (the in-process store, as at start-up). Keys no longer configured are dropped here;
   * their statistics stay in the store and the log.
   * @param lost keys the store lost (see `refresh`): the new policy takes this replica's snapshot instead.
   */
  async prepare(
    surfaces: readonly Surface[],
    options: { lost?: ReadonlySet<string>; restoreNew?: (model: LiveModel) => Promise<unknown> } = {},
  ): Promise<{ install: () => void }> {
    const next = buildModels(surfaces);
    await Promise.all(
      [...next].map(async ([id, model]) => {
        const current = this.models.get(id);
        if (current?.key === model.key && options.lost?.has(model.key)) {
          const { learner } = current.policy;
          for (const arm of learner.arms()) model.policy.learner.load(arm, learner.statistics(arm));
          model.version = current.version;
          return;
        }
        if (current?.key !== model.key) await options.restoreNew?.(model);
        await this.load(model);
      }),
    );
    return {
      install: () => {
        this.models = next;
      },
    };
  }

  /** Refreshes every `stalenessMs` until `stop`; a failed refresh keeps serving the last snapshot. */
  start(stalenessMs: number, onError: (error: unknown) => void): void {
    this.stopRefreshing = repeatEvery(stalenessMs, () => this.refresh(), onError);
  }

  stop(): void {
    this.stopRefreshing?.();
  }

  private async load(model: LiveModel): Promise<void> {
    const { learner } = model.policy;
    const snapshot = await this.store.read(model.key, learner.statisticsLength);
    for (const [arm, statistics] of snapshot.arms) learner.load(arm, statistics);
    // An arm the store no longer holds (its model was lost or replaced) goes back to the prior.
    for (const arm of learner.arms()) {
      if (!snapshot.arms.has(arm)) learner.load(arm, new Float64Array(learner.statisticsLength));
    }
    model.version = snapshot.version;
  }
}

/** One model per surface × policy arm, not loaded yet (version −1), by `cacheKey`. */
function buildModels(surfaces: readonly Surface[]): Map<string, LiveModel> {
  const models = new Map<string, LiveModel>();
  for (const surface of surfaces) {
    const encoder = createContextEncoder(surface.config.features);
    for (const policyArm of surface.config.policyArms) {
      models.set(cacheKey(surface.config.id, policyArm.id), {
        key: modelKey(surface, policyArm.id),
        surface,
        policyArmId: policyArm.id,
        policy: createPolicy(policyArm.learner, encoder.dimension),
        encoder,
        version: -1,
      });
    }
  }
  return models;
}

function cacheKey(surfaceId: string, policyArmId: string): string {
  return `${surfaceId}\u0000${policyArmId}`;
}
