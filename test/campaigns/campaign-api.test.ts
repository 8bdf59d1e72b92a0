import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChooseResponse, DecisionView } from '../../src/api/api-types.js';
import { schemaViolations } from '../../src/api/schema-validator.js';
import { startTestService, testClock, type TestService } from '../helpers/test-service.js';
import { campaignPolicies } from './campaign-policies.js';

/** Campaign rules through the API on the embedded default: what is logged, what is counted, what admins change. */
describe('campaigns through the API', () => {
  const clock = testClock('2026-12-02T12:00:00.000Z');
  let policiesDir: string;
  let service: TestService;
  beforeAll(async () => {
    policiesDir = await campaignPolicies(await mkdtemp(join(tmpdir(), 'limelight-campaign-api-')));
    service = await startTestService({ backend: 'embedded', policiesDir, now: clock.now });
  });
  afterAll(async () => {
    await service.close();
    await rm(policiesDir, { recursive: true, force: true });
  });

  const api = () => request.agent(service.url).set(service.authHeaders);
  const choose = async (body: Record<string, unknown>) => (await api().post('/choose').send({ surface: 'promo', ...body }).expect(200)).body as ChooseResponse;
  const logged = async (id: string) => (await api().get(`/decisions/${id}`).expect(200)).body as DecisionView;
  const loggedCount = async () =>
    (await service.database.query<{ count: number }>(`SELECT count(*)::int AS count FROM decisions WHERE surface = 'promo'`)).rows[0]!.count;

  it('logs the eligible set as candidates and why each other arm was left out', async () => {
    const response = await choose({ context: { device: 'android' } });
    expect(Object.keys(response.probabilities).sort()).toEqual(['album:evergreen', 'campaign:launch']);
    const decision = await logged(response.decisionId);
    expect(schemaViolations('Decision', decision)).toEqual([]);
    expect(decision.candidates).toEqual(['album:evergreen', 'campaign:launch']);
    expect(decision.ineligible).toEqual({ 'campaign:capped': 'no_unit', 'campaign:ios': 'targeting' });
  });

  it('caps a unit at two impressions of the capped campaign per hour, then lets it in again', async () => {
    const shown = async () => {
      const response = await choose({ unit: 'capped-listener', context: {}, candidates: ['campaign:capped', 'album:evergreen'] });
      return response.arm === 'campaign:capped';
    };
    let impressions = 0;
    for (let i = 0; i < 40 && impressions < 2; i++) if (await shown()) impressions++;
    expect(impressions).toBe(2);
    const capped = await choose({ unit: 'capped-listener', context: {}, candidates: ['campaign:capped', 'album:evergreen'] });
    expect((await logged(capped.decisionId)).ineligible).toEqual({ 'campaign:capped': 'frequency_cap' });
    clock.advance(3_600_000);
    const reopened = await choose({ unit: 'capped-listener', context: {}, candidates: ['campaign:capped', 'album:evergreen'] });
    expect(Object.keys(reopened.probabilities)).toContain('campaign:capped');
  });

  it('answers 200 with arm null and the reasons when nothing is eligible, and logs nothing', async () => {
    const before = await loggedCount();
    const response = await api().post('/choose').send({ surface: 'promo', context: { device: 'web' }, candidates: ['campaign:ios'], eventId: 'nothing' }).expect(200);
    expect(response.body).toEqual({ arm: null, reason: 'no_eligible_arm', policy: 'control', ineligible: { 'campaign:ios': 'targeting' }, configVersion: expect.any(String), replayed: false });
    expect(schemaViolations('NoEligibleArmResponse', response.body)).toEqual([]);
    expect(await loggedCount()).toBe(before);
  });

  it('counts a deferred impression when it is activated, not when it is decided', async () => {
    const spend = async () => (await service.campaigns.counters.read([{ surface: 'promo', arm: 'campaign:launch', day: '2026-12-02', unit: null }]))[0]!.totalSpent;
    let deferred: ChooseResponse | undefined;
    for (let i = 0; i < 40 && deferred === undefined; i++) {
      const response = await choose({ context: {}, candidates: ['campaign:launch', 'album:evergreen'], defer: true });
      if (response.arm === 'campaign:launch') deferred = response;
    }
    const before = await spend();
    await api().post(`/decisions/${deferred!.decisionId}/activate`).expect(200);
    expect(await spend()).toBe(before + 1);
    await api().post(`/decisions/${deferred!.decisionId}/activate`).expect(200);
    expect(await spend()).toBe(before + 1);
  });

  it('adds, pauses and re-budgets arms through the admin API, and shows spend against budget to readers', async () => {
    const added = await api()
      .post('/admin/surfaces/promo/arms')
      .send({ id: 'campaign:flash', kind: 'campaign', end: '2026-12-31T00:00:00Z', campaign: { budget: { daily: 50 }, pacing: true } })
      .expect(201);
    expect(added.body).toMatchObject({ source: 'api', paused: false, arm: { id: 'campaign:flash' } });
    await api().post('/admin/surfaces/promo/arms').send({ id: 'campaign:flash', kind: 'campaign' }).expect(409);
    const invalid = await api().post('/admin/surfaces/promo/arms').send({ id: 'campaign:bad', kind: 'campaign', campaign: { targeting: [{ feature: 'mood', equals: 'x' }] } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details).toEqual([{ path: 'campaign.targeting[0].feature', message: "'mood' is not a feature of the surface" }]);
    const live = await choose({ context: {} });
    expect(Object.keys(live.probabilities)).toContain('campaign:flash');
    const flashImpressions = live.arm === 'campaign:flash' ? 1 : 0;

    await api().patch('/admin/surfaces/promo/arms/campaign:flash').send({ paused: true, budget: { daily: 80 } }).expect(200);
    const paused = await choose({ context: {} });
    expect((await logged(paused.decisionId)).ineligible).toMatchObject({ 'campaign:flash': 'paused' });
    await api().patch('/admin/surfaces/promo/arms/campaign:nothing').send({ paused: true }).expect(404);

    const spend = await api().get('/surfaces/promo/campaigns').expect(200);
    expect(schemaViolations('CampaignSpend', spend.body)).toEqual([]);
    expect(spend.body.arms.find((arm: { arm: string }) => arm.arm === 'campaign:flash')).toEqual({
      arm: 'campaign:flash',
      paused: true,
      end: '2026-12-31T00:00:00Z',
      dailyBudget: 80,
      totalSpent: flashImpressions,
      dailySpent: flashImpressions,
      pacingProbability: 1,
    });
  });

  it('keeps the admin routes to the admin scope', async () => {
    const created = await api().post('/admin/keys').send({ name: 'reader', scopes: ['read', 'decide'] }).expect(201);
    const reader = { authorization: `Bearer ${created.body.key}` };
    await request(service.url).patch('/admin/surfaces/promo/arms/campaign:launch').set(reader).send({ paused: true }).expect(403);
    await request(service.url).get('/surfaces/promo/campaigns').set(reader).expect(200);
  });
});
