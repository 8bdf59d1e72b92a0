import type { Logger } from 'pino';
import type { DecisionStore } from '../decisions/decision-store.js';
import { repeatEvery } from '../repeat-every.js';
import type { SurfaceCatalog } from '../surfaces/surface-catalog.js';
import type { DecisionLearner } from './decision-learner.js';

const BATCH = 500;

export interface RewardSweeperDeps {
  surfaces: SurfaceCatalog;
  store: Pick<DecisionStore, 'claimDefaultRewards' | 'findUnlearned'>;
  learner: DecisionLearner;
  now: () => Date;
  logger: Logger;
}

/**
 * Every replica sweeps. Closing windows: a decision whose window closed without a reward is given its
 * surface's default reward by an atomic claim in Postgres, so whichever replica claims it learns it, once.
 * Retrying: rewards recorded but not learned (the model store was down) are learned again; the model
 * store's per-decision marker keeps that at most once.
 */
export class RewardSweeper {
  private stopSweeping: (() => void) | undefined;

  constructor(private readonly deps: RewardSweeperDeps) {}

  /** One pass; returns how many decisions were defaulted and how many retried. */
  async sweep(): Promise<{ defaulted: number; retried: number }> {
    const defaults = Object.fromEntries(this.deps.surfaces.list().map((surface) => [surface.config.id, surface.config.reward.default]));
    let defaulted = 0;
    for (;;) {
      const claimed = await this.deps.store.claimDefaultRewards(this.deps.now(), BATCH, defaults);
      for (const decision of claimed) await this.deps.learner.learn(decision);
      defaulted += claimed.length;
      if (claimed.length < BATCH) break;
    }
    const unlearned = await this.deps.store.findUnlearned(BATCH);
    for (const decision of unlearned) await this.deps.learner.learn(decision);
    return { defaulted, retried: unlearned.length };
  }

  start(intervalMs: number): void {
    this.stopSweeping = repeatEvery(intervalMs, () => this.sweep(), (error) =>
      this.deps.logger.warn({ err: error }, 'reward sweep failed; retrying next interval'),
    );
  }

  stop(): void {
    this.stopSweeping?.();
  }
}
