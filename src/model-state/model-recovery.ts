import type { Logger } from 'pino';
import type { DecisionStore } from '../decisions/decision-store.js';
import { repeatEvery } from '../repeat-every.js';
import type { LiveModel, ModelCache } from './model-cache.js';
import type { ModelStateStore } from './model-state-store.js';
import { rebuildModel } from './rebuild-model.js';
import type { RedisModelStateStore } from './redis-model-state-store.js';

/** Long enough for a rebuild of a large log; a replica that dies holding it delays recovery by this much. */
const RESTORE_LOCK_TTL_MS = 60_000;

export type RestorableModelStore = Pick<ModelStateStore, 'version'> &
  Pick<RedisModelStateStore, 'connections' | 'acquireRestoreLock' | 'releaseRestoreLock' | 'restore'>;

export interface ModelRecoveryDeps {
  models: ModelCache;
  modelStore: RestorableModelStore;
  store: Pick<DecisionStore, 'countLearned' | 'streamLearnable' | 'markLearned'>;
  now: () => Date;
  logger: Logger;
  lockTtlMs?: number;
}

/**
 * Notices that Redis lost a model and restores it from the decision log, then refreshes this replica's
 * snapshots; it replaces `ModelCache.start` when the model state lives in Redis.
 *
 * Lost means: the model's version in Redis (the number of increments it holds) is below the number of
 * its decisions the log marks learned. Intact, it never is: an increment lands before its decision is
 * marked, and a restore sets the version to every rewarded decision it folded. Increments that land on a
 * lost model before it is restored are marked too, so the count stays ahead of them. The count is a scan
 * of the log, so it runs only when a loss is possible: after each (re)connection to Redis (start-up
 * included) and when a model's version went backwards; never on the steady path.
 *
 * Restoring holds the model's Redis lock (`SET … NX PX`): one replica restores, and increments are
 * refused meanwhile (their rewards stay unlearned in the log, and the sweeper retries them after). The
 * restore writes the marker of every folded decision before the statistics, so a late increment of a
 * folded decision is refused; it replaces the statistics only if it still holds the lock. Until a lost
 * model is restored, this replica keeps deciding from its last snapshot of it.
 */
export class ModelRecovery {
  private readonly lost = new Set<string>();
  private checkedConnection = 0;
  private recheckRequested = false;
  private stopRefreshing: (() => void) | undefined;

  constructor(private readonly deps: ModelRecoveryDeps) {}

  /** Restores the lost models whose lock this replica wins, then reloads the others that changed. */
  async refresh(): Promise<void> {
    const lost = await this.findLost();
    for (const model of lost) {
      if (await this.restore(model)) this.lost.delete(model.key);
    }
    await this.deps.models.refresh(this.lost);
  }

  /** Refreshes every `stalenessMs` until `stop`; a failed pass keeps serving the last snapshots. */
  start(stalenessMs: number, onError: (error: unknown) => void): void {
    this.stopRefreshing = repeatEvery(stalenessMs, () => this.refresh(), onError);
  }

  stop(): void {
    this.stopRefreshing?.();
  }

  /** The models the store lost and that are not restored yet; this replica keeps their last snapshot. */
  get lostKeys(): ReadonlySet<string> {
    return this.lost;
  }

  /**
   * Checks every model against the log on the next pass, as after a reconnection: a reload may serve a
   * key again whose rewards were marked learned, without an increment, while no replica served it.
   */
  recheck(): void {
    this.recheckRequested = true;
  }

  private async findLost(): Promise<LiveModel[]> {
    const models = this.deps.models.all();
    const versions = await this.versions(models);
    // Read once the versions answered, so a connection made while they waited (start-up) counts.
    const connection = this.deps.modelStore.connections;
    const recheck = this.recheckRequested;
    const reconnected = connection !== this.checkedConnection || recheck;
    const suspects = models.filter((model, i) => reconnected || this.lost.has(model.key) || versions[i]! < model.version);
    if (suspects.length === 0) return [];
    // Counted before the versions are read again: a decision marked learned in between has its
    // increment in the later version already, so an intact model never looks lost.
    const learned = await this.deps.store.countLearned();
    const current = await this.versions(suspects);
    this.checkedConnection = connection;
    if (recheck) this.recheckRequested = false;
    this.lost.clear();
    const lost = suspects.filter((model, i) => current[i]! < (learned.get(model.key) ?? 0));
    for (const model of lost) this.lost.add(model.key);
    return lost;
  }

  /** @returns true when the model is whole again (restored here, or by another replica meanwhile). */
  private async restore(model: LiveModel): Promise<boolean> {
    const { modelStore, store, logger } = this.deps;
    const token = await modelStore.acquireRestoreLock(model.key, this.deps.lockTtlMs ?? RESTORE_LOCK_TTL_MS);
    if (token === undefined) return false;
    try {
      const learned = (await store.countLearned()).get(model.key) ?? 0;
      if ((await modelStore.version(model.key)) >= learned) return true;
      const rebuilt = await rebuildModel(model, store);
      if (!(await modelStore.restore(model.key, token, rebuilt.arms, rebuilt.decisions, rebuilt.decisionIds))) return false;
      await store.markLearned(rebuilt.decisionIds, this.deps.now());
      logger.warn({ model: model.key, learned, decisions: rebuilt.decisions }, 'model state was lost; restored it from the decision log');
      return true;
    } finally {
      await modelStore.releaseRestoreLock(model.key, token);
    }
  }

  private versions(models: readonly LiveModel[]): Promise<number[]> {
    return Promise.all(models.map((model) => this.deps.modelStore.version(model.key)));
  }
}
