import type { components } from '../api/openapi-types.js';
import type { Database } from '../db/database.js';
import { isCounted, utcDay } from './campaign-arm.js';
import type { CampaignCatalog } from './campaign-catalog.js';
import type { CampaignCounters } from './campaign-counters.js';

export type CampaignSpend = components['schemas']['CampaignSpend'];

/** Spend against budget of every counted or paced arm of a surface, for the dashboard. */
export async function campaignSpend(surfaceId: string, catalog: CampaignCatalog, counters: CampaignCounters, now: Date): Promise<CampaignSpend> {
  const day = utcDay(now);
  const arms = catalog.arms(surfaceId).filter((arm) => isCounted(arm.config) || arm.config.campaign?.pacing === true);
  const values = await counters.read(arms.map((arm) => ({ surface: surfaceId, arm: arm.config.id, day, unit: null })));
  return {
    surface: surfaceId,
    day,
    arms: arms.map(({ config, paused }, i) => {
      const { totalSpent, dailySpent, pacing } = values[i]!;
      const budget = config.campaign?.budget;
      return {
        arm: config.id,
        paused,
        ...(config.start === undefined ? {} : { start: config.start }),
        ...(config.end === undefined ? {} : { end: config.end }),
        ...(budget?.total === undefined ? {} : { totalBudget: budget.total }),
        ...(budget?.daily === undefined ? {} : { dailyBudget: budget.daily }),
        totalSpent,
        dailySpent,
        pacingProbability: config.campaign?.pacing === true ? pacing : 1,
      };
    }),
  };
}

/**
 * Restores spend counters that do not exist (the embedded default after a restart, or a Redis that lost
 * its data) from the decision log, which holds every impression: a served decision, or a deferred one
 * once activated. Counters that exist are left alone. Frequency-cap windows are not restored.
 */
export async function seedSpendFromLog(database: Database, catalog: CampaignCatalog, surfaceIds: readonly string[], counters: CampaignCounters, now: Date): Promise<void> {
  const arms = surfaceIds.flatMap((surface) => catalog.arms(surface).filter((arm) => isCounted(arm.config)).map((arm) => [surface, arm.config.id] as const));
  if (arms.length === 0) return;
  const day = utcDay(now);
  const { rows } = await database.query<{ surface: string; arm: string; total: number; daily: number }>(
    `SELECT surface, arm, count(*)::int AS total,
            (count(*) FILTER (WHERE coalesce(activated_at, decided_at) >= $3::date))::int AS daily
       FROM decisions
      WHERE (surface, arm) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        AND (NOT deferred OR activated_at IS NOT NULL)
      GROUP BY surface, arm`,
    [arms.map(([surface]) => surface), arms.map(([, arm]) => arm), day],
  );
  const spent = new Map(rows.map((row) => [JSON.stringify([row.surface, row.arm]), row]));
  for (const [surface, arm] of arms) {
    const row = spent.get(JSON.stringify([surface, arm]));
    await counters.seed(surface, arm, day, row?.total ?? 0, row?.daily ?? 0);
  }
}
