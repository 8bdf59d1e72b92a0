import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignArmStore } from '../../src/campaigns/campaign-arm-store.js';
import { CampaignCatalog } from '../../src/campaigns/campaign-catalog.js';
import type { CampaignCounters } from '../../src/campaigns/campaign-counters.js';
import { CampaignEligibility } from '../../src/campaigns/campaign-eligibility.js';
import { seededRandom } from '../../src/stats/random.js';
import { loadSurfaces } from '../../src/surfaces/load-surfaces.js';
import type { SurfaceCatalog } from '../../src/surfaces/surface-catalog.js';
import { campaignPolicies } from './campaign-policies.js';

const NOW = new Date('2026-12-02T12:00:00Z');

/** Counters whose every call fails, as they do while Redis is away. */
const unreachable: CampaignCounters = new Proxy({} as CampaignCounters, {
  get: () => () => Promise.reject(Object.assign(new Error('Connection is closed.'), { code: 'ECONNREFUSED' })),
});

const noStoredArms: CampaignArmStore = {
  list: async () => [],
  add: async () => false,
  update: async () => {},
};

describe('campaign eligibility while the counters are unreachable', () => {
  let dir: string;
  let surfaces: SurfaceCatalog;
  let campaigns: CampaignEligibility;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'limelight-counters-'));
    surfaces = await loadSurfaces(await campaignPolicies(dir));
    campaigns = new CampaignEligibility(new CampaignCatalog(surfaces, noStoredArms, () => NOW), unreachable);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('leaves out only the arms that need counters, so /choose keeps answering', async () => {
    const surface = surfaces.get('promo')!;
    const result = await campaigns.eligibility(surface, { context: { device: 'ios' }, unit: 'listener-1' }, NOW, seededRandom('d'));
    expect(result.eligible).toEqual(['album:evergreen', 'campaign:ios']);
    expect(result.ineligible).toEqual({ 'campaign:launch': 'counters_unavailable', 'campaign:capped': 'counters_unavailable' });
  });

  it('refuses a reservation it cannot make instead of serving an uncounted impression', async () => {
    const surface = surfaces.get('promo')!;
    expect(await campaigns.reserve(surface, 'campaign:launch', 'listener-1', NOW, false)).toBe('counters_unavailable');
    expect(await campaigns.reserve(surface, 'album:evergreen', 'listener-1', NOW, false)).toBe('reserved');
  });
});
