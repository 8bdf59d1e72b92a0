import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Auth } from '../auth/auth-middleware.js';
import type { Database } from '../db/database.js';
import type { SurfaceCatalog } from '../surfaces/surface-catalog.js';
import { PostgresCampaignArmStore } from './campaign-arm-store.js';
import { CampaignCatalog } from './campaign-catalog.js';
import type { CampaignCounters } from './campaign-counters.js';
import { CampaignEligibility } from './campaign-eligibility.js';
import { createCampaignRoutes } from './campaign-routes.js';
import { campaignSpend, seedSpendFromLog } from './campaign-spend.js';
import { InMemoryCampaignCounters } from './in-memory-campaign-counters.js';
import { PacingUpdater } from './pacing-updater.js';
import { RedisCampaignCounters } from './redis-campaign-counters.js';

/** How often each replica re-reads the admin overrides: how late an add, pause or end reaches the others. */
export const OVERRIDE_REFRESH_MS = 2_000;

export interface CampaignsOptions {
  surfaces: SurfaceCatalog;
  database: Database;
  /** Shared counters in Redis when given; otherwise in this process (the embedded default, one replica). */
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  now: () => Date;
}

/** The campaign feature, assembled: overrides, counters, eligibility, pacing and routes. */
export interface Campaigns {
  catalog: CampaignCatalog;
  counters: CampaignCounters;
  eligibility: CampaignEligibility;
  pacing: PacingUpdater;
  routes(auth: Auth): Router;
  /** Restores from the log the spend counters of these surfaces' counted arms that do not exist yet. */
  seedSpend(surfaceIds: readonly string[]): Promise<void>;
  /** Starts the override refresh and the pacing updates (tests call `catalog.refresh` and `pacing.update`). */
  start(logger: Logger): void;
  close(): Promise<void>;
}

export async function createCampaigns(options: CampaignsOptions): Promise<Campaigns> {
  const { surfaces, database, now } = options;
  const counters: CampaignCounters = options.redisUrl
    ? new RedisCampaignCounters(options.redisUrl, options.redisKeyPrefix)
    : new InMemoryCampaignCounters(now);
  const catalog = new CampaignCatalog(surfaces, new PostgresCampaignArmStore(database), now);
  await catalog.refresh();
  const seedSpend = (surfaceIds: readonly string[]) => seedSpendFromLog(database, catalog, surfaceIds, counters, now());
  await seedSpend(surfaces.list().map((surface) => surface.config.id));
  const pacing = new PacingUpdater(surfaces, catalog, counters, now);
  return {
    catalog,
    counters,
    eligibility: new CampaignEligibility(catalog, counters),
    pacing,
    seedSpend,
    routes: (auth) => createCampaignRoutes({ surfaces, catalog, spend: (surfaceId) => campaignSpend(surfaceId, catalog, counters, now()) }, auth),
    start(logger) {
      catalog.start(OVERRIDE_REFRESH_MS, (error) => logger.warn({ err: error }, 'campaign override refresh failed'));
      pacing.start(logger);
    },
    async close() {
      catalog.stop();
      pacing.stop();
      await counters.close();
    },
  };
}
