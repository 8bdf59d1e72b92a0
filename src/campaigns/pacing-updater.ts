import type { Logger } from 'pino';
import { repeatEvery } from '../repeat-every.js';
import type { SurfaceCatalog } from '../surfaces/surface-catalog.js';
import { utcDay } from './campaign-arm.js';
import type { CampaignCatalog } from './campaign-catalog.js';
import type { CampaignCounters } from './campaign-counters.js';
import { nextPacingState, plannedRate } from './pacing-controller.js';

/** How often a paced arm's probability is updated. */
export const PACING_INTERVAL_MS = 60_000;
/** Held by the replica that updates an arm; it lapses before the next interval, so any replica may take the next turn. */
const LOCK_MS = PACING_INTERVAL_MS / 2;

/**
 * Runs the pacing controller of every paced arm once per interval. Every replica runs it; the short lock
 * per arm in the counters' store lets one of them update each arm per interval, and the probability it
 * writes is what every replica reads with the counters on its next request.
 */
export class PacingUpdater {
  private stopUpdating: (() => void) | undefined;

  constructor(
    private readonly surfaces: SurfaceCatalog,
    private readonly catalog: CampaignCatalog,
    private readonly counters: CampaignCounters,
    private readonly now: () => Date,
  ) {}

  async update(): Promise<void> {
    const now = this.now();
    for (const surface of this.surfaces.list()) {
      for (const arm of this.catalog.arms(surface.config.id)) {
        if (arm.config.campaign?.pacing !== true) continue;
        const id = { surface: surface.config.id, arm: arm.config.id };
        if (!(await this.counters.tryLockPacing(id.surface, id.arm, LOCK_MS))) continue;
        const [spend] = await this.counters.read([{ ...id, day: utcDay(now), unit: null }]);
        const planned = plannedRate(arm.config, spend!, now);
        if (planned === undefined) continue;
        const state = nextPacingState(await this.counters.readPacing(id.surface, id.arm), spend!.totalSpent, planned, now);
        await this.counters.writePacing(id.surface, id.arm, state);
      }
    }
  }

  start(logger: Logger): void {
    this.stopUpdating = repeatEvery(PACING_INTERVAL_MS, () => this.update(), (error) => logger.warn({ err: error }, 'pacing update failed'));
  }

  stop(): void {
    this.stopUpdating?.();
  }
}
