import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChooseResponse, RewardResponse } from '../../src/api/api-types.js';
import { schemaViolations, type SchemaName } from '../../src/api/schema-validator.js';
import { createDecisionId } from '../../src/decisions/decision-id.js';
import { serviceBackends, startTestService, testClock, type TestService } from '../helpers/test-service.js';

/** Every campaign arm of the shipped surfaces is off-flight on this day. */
const START = '2026-06-01T12:00:00.000Z';
const HOME_WINDOW_MS = 1_800_000;
const SEARCH_WINDOW_MS = 86_400_000;
const HOME_ARMS = [
  'podcast:morning-briefing',
  'podcast:true-crime-weekly',
  'audiobook:the-long-way-home',
  'album:fresh-finds',
  'album:focus-flow',
  'video:live-session-rooftop',
];
const HOME_CONTEXT = { hour_of_day: 8, device: 'ios', premium: true };

describe.each(serviceBackends())('the HTTP API on the %s backend', (backend) => {
  const clock = testClock(START);
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ backend, now: clock.now });
  });
  afterAll(() => service.close());

  const api = () => request.agent(service.url).set(service.authHeaders);
  const conforms = (schema: SchemaName, body: unknown) => expect(schemaViolations(schema, body)).toEqual([]);

  async function choose(body: Record<string, unknown>): Promise<ChooseResponse> {
    const response = await api().post('/choose').send(body).expect(200);
    conforms('ChooseResponse', response.body);
    return response.body as ChooseResponse;
  }

  async function reward(decisionId: string, value: number, status = 200): Promise<RewardResponse> {
    const response = await api().post('/reward').send({ decisionId, reward: value }).expect(status);
    conforms(status === 200 ? 'RewardResponse' : 'Error', response.body);
    return response.body as RewardResponse;
  }

  async function surface(id: string) {
    const response = await api().get(`/surfaces/${id}`).expect(200);
    conforms('SurfaceDetail', response.body);
    const body = response.body as {
      statistics: { policyArms: Array<{ decisions: number }> };
      rewardJoin: Record<'pending' | 'rewarded' | 'defaulted' | 'late' | 'duplicate' | 'unknownId', number>;
    };
    return { decisions: body.statistics.policyArms.reduce((sum, row) => sum + row.decisions, 0), rewardJoin: body.rewardJoin };
  }

  async function decision(id: string) {
    const response = await api().get(`/decisions/${id}`).expect(200);
    conforms('Decision', response.body);
    return response.body as { reward?: number; rewardSource?: string; activatedAt?: string };
  }

  /** The model store's version of the model that made (and learns) `choice`. */
  const modelVersion = (surfaceId: string, choice: ChooseResponse) =>
    service.modelStore.version(service.models.get(surfaceId, choice.policy).key);

  /** Closes every window still open and defaults those decisions, so that only the caller's decisions move a model. */
  async function closeOpenWindows() {
    clock.advance(SEARCH_WINDOW_MS + 1);
    await service.sweeper.sweep();
  }

  /** Expects an error response in the contract's shape, and returns its details. */
  function expectError(response: request.Response, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    conforms('Error', response.body);
    expect(response.body.error.code).toBe(code);
    return response.body.error.details as Array<{ path?: string; message: string }>;
  }

  describe('POST /choose', () => {
    it('answers with a distribution over exactly the live arms, the drawn arm and its propensity', async () => {
      const response = await choose({ surface: 'home', unit: 'listener-1', context: HOME_CONTEXT });
      // The campaign arm is off-flight on START, so it is not a candidate.
      expect(Object.keys(response.probabilities).sort()).toEqual([...HOME_ARMS].sort());
      const total = Object.values(response.probabilities).reduce((sum, p) => sum + p, 0);
      expect(Math.abs(total - 1)).toBeLessThanOrEqual(1e-12);
      expect(response.propensity).toBe(response.probabilities[response.arm]);
      expect(['linucb', 'lints', 'control']).toContain(response.policy);
      expect(response.rewardBy).toBe(new Date(clock.now().getTime() + HOME_WINDOW_MS).toISOString());
      expect(Number.isInteger(response.modelVersion)).toBe(true);
      expect(response).toMatchObject({ replayed: false, deferred: false });
      const logged = await decision(response.decisionId);
      expect(logged).toMatchObject({ arm: response.arm, probabilities: response.probabilities, policy: response.policy });
    });

    it('keeps a unit on one policy arm of a surface randomized by user', async () => {
      const policies = new Set<string>();
      for (let i = 0; i < 5; i++) policies.add((await choose({ surface: 'home', unit: 'sticky-listener', context: HOME_CONTEXT })).policy);
      expect(policies.size).toBe(1);
    });

    it('chooses among the given candidates only', async () => {
      const candidates = ['album:focus-flow', 'podcast:true-crime-weekly'];
      for (let i = 0; i < 5; i++) {
        const response = await choose({ surface: 'home', context: HOME_CONTEXT, candidates });
        expect(Object.keys(response.probabilities).sort()).toEqual([...candidates].sort());
        expect(candidates).toContain(response.arm);
      }
    });

    it.each([
      ['an unknown arm', ['album:focus-flow', 'album:no-such-thing'], 'candidates[1]'],
      ['an off-flight campaign arm', ['campaign:premium-holiday-trial', 'album:focus-flow'], 'candidates[0]'],
    ])('refuses %s as a candidate with 422 naming it, logging nothing', async (_, candidates, path) => {
      const before = await surface('home');
      const response = await api().post('/choose').send({ surface: 'home', context: HOME_CONTEXT, candidates });
      expect(expectError(response, 422, 'invalid_candidates').map((detail) => detail.path)).toEqual([path]);
      expect((await surface('home')).decisions).toBe(before.decisions);
    });

    it('returns the logged decision for a repeated eventId, logging it once', async () => {
      const before = await surface('home');
      const first = await choose({ surface: 'home', context: HOME_CONTEXT, eventId: 'evt-retry' });
      const retry = await choose({ surface: 'home', context: { hour_of_day: 23 }, eventId: 'evt-retry' });
      expect(first.replayed).toBe(false);
      expect(retry).toEqual({ ...first, replayed: true });
      await decision(first.decisionId);
      expect((await surface('home')).decisions).toBe(before.decisions + 1);
    });

    it('makes one decision for ten concurrent requests with the same eventId', async () => {
      const before = await surface('home');
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => choose({ surface: 'home', context: HOME_CONTEXT, eventId: 'evt-concurrent' })),
      );
      expect(new Set(responses.map((response) => response.decisionId)).size).toBe(1);
      expect(responses.filter((response) => !response.replayed)).toHaveLength(1);
      expect((await surface('home')).decisions).toBe(before.decisions + 1);
    });

    it('answers 404 for an unknown surface', async () => {
      expectError(await api().post('/choose').send({ surface: 'nowhere', context: {} }), 404, 'unknown_surface');
    });

    it.each([
      ['a feature of the wrong type', { ...HOME_CONTEXT, hour_of_day: 'noon' }, 'context.hour_of_day'],
      ['an undeclared feature', { ...HOME_CONTEXT, mood: 'happy' }, 'context.mood'],
      ['a missing feature without default', { device: 'ios' }, 'context.hour_of_day'],
      ['a categorical feature given a number', { ...HOME_CONTEXT, device: 3 }, 'context.device'],
    ])('refuses a context with %s with 422 naming the feature', async (_, context, path) => {
      const before = await surface('home');
      const details = expectError(await api().post('/choose').send({ surface: 'home', context }), 422, 'invalid_context');
      expect(details.map((detail) => detail.path)).toEqual([path]);
      expect((await surface('home')).decisions).toBe(before.decisions);
    });
  });

  describe('invalid request bodies', () => {
    const invalidChoose: Array<[string, string, number, string]> = [
      ['no surface', JSON.stringify({ context: HOME_CONTEXT }), 400, 'invalid_request'],
      ['a context that is a string', JSON.stringify({ surface: 'home', context: 'hour=8' }), 400, 'invalid_request'],
      ['an extra property', JSON.stringify({ surface: 'home', context: HOME_CONTEXT, priority: 1 }), 400, 'invalid_request'],
      ['candidates that are not a list', JSON.stringify({ surface: 'home', context: HOME_CONTEXT, candidates: 'album:focus-flow' }), 400, 'invalid_request'],
      ['a numeric unit', JSON.stringify({ surface: 'home', context: HOME_CONTEXT, unit: 7 }), 400, 'invalid_request'],
      ['a nested context value', JSON.stringify({ surface: 'home', context: { hour_of_day: { value: 8 } } }), 400, 'invalid_request'],
      ['invalid JSON', '{"surface": "home", "context": {', 400, 'invalid_json'],
      ['a bare NaN', '{"surface": "home", "context": {"hour_of_day": NaN}}', 400, 'invalid_json'],
      ['a body over the limit', JSON.stringify({ surface: 'home', context: HOME_CONTEXT, unit: 'u'.repeat(70_000) }), 413, 'payload_too_large'],
    ];

    it.each(invalidChoose)('refuses a /choose with %s, logging nothing', async (_, body, status, code) => {
      const before = await surface('home');
      const response = await api().post('/choose').set('content-type', 'application/json').send(body);
      expectError(response, status, code);
      expect((await surface('home')).decisions).toBe(before.decisions);
    });

    it.each([
      ['a reward that is the string "NaN"', (id: string) => JSON.stringify({ decisionId: id, reward: 'NaN' }), 'invalid_request'],
      ['a reward that is a numeric string', (id: string) => JSON.stringify({ decisionId: id, reward: '1' }), 'invalid_request'],
      ['no reward', (id: string) => JSON.stringify({ decisionId: id }), 'invalid_request'],
      ['a decision id that is not a UUID', () => JSON.stringify({ decisionId: 'decision-1', reward: 1 }), 'invalid_request'],
      ['an extra property', (id: string) => JSON.stringify({ decisionId: id, reward: 1, weight: 2 }), 'invalid_request'],
      ['invalid JSON', (id: string) => `{"decisionId": "${id}", "reward": NaN}`, 'invalid_json'],
    ])('refuses a /reward with %s, recording nothing', async (_, body, code) => {
      const { decisionId } = await choose({ surface: 'home', context: HOME_CONTEXT });
      const response = await api().post('/reward').set('content-type', 'application/json').send(body(decisionId));
      expectError(response, 400, code);
      expect((await decision(decisionId)).reward).toBeUndefined();
    });

    it('answers an unknown route in the same error shape', async () => {
      expectError(await api().get('/nowhere'), 404, 'route_not_found');
    });

    it('routes /choose as Express would: other methods are unknown, a trailing slash and a query string are not', async () => {
      expectError(await api().get('/choose'), 404, 'route_not_found');
      for (const path of ['/choose/', '/choose?trace=1']) {
        const response = await api().post(path).send({ surface: 'home', context: HOME_CONTEXT });
        expect(response.status).toBe(200);
        expect(typeof response.body.arm).toBe('string');
      }
    });

    it('refuses a malformed decision id in a path with 400', async () => {
      expectError(await api().get('/decisions/not-a-uuid'), 400, 'invalid_request');
    });
  });

  describe('POST /reward', () => {
    it('learns a reward once: a repeat is acknowledged as a duplicate and changes nothing', async () => {
      const choice = await choose({ surface: 'home', context: HOME_CONTEXT });
      const version = await modelVersion('home', choice);
      expect(await reward(choice.decisionId, 1)).toEqual({ decisionId: choice.decisionId, reward: 1, duplicate: false, learned: true });
      expect(await modelVersion('home', choice)).toBe(version + 1);
      const model = service.models.get('home', choice.policy);
      const read = () => service.modelStore.read(model.key, model.policy.learner.statisticsLength);
      const snapshot = await read();
      expect(snapshot.arms.get(choice.arm)).toBeDefined();
      expect(await reward(choice.decisionId, 0)).toEqual({ decisionId: choice.decisionId, reward: 1, duplicate: true, learned: true });
      expect(await read()).toEqual(snapshot);
      expect(await decision(choice.decisionId)).toMatchObject({ reward: 1, rewardSource: 'observed' });
    });

    it('answers 404 for a decision id that was never logged', async () => {
      const response = await api().post('/reward').send({ decisionId: createDecisionId(clock.now()), reward: 1 });
      expectError(response, 404, 'unknown_decision');
    });

    it('answers 410 once the window has closed, and accepts a reward at its last instant', async () => {
      const late = await choose({ surface: 'home', context: HOME_CONTEXT });
      const onTime = await choose({ surface: 'home', context: HOME_CONTEXT });
      clock.advance(HOME_WINDOW_MS);
      await reward(onTime.decisionId, 1);
      clock.advance(1);
      const response = await api().post('/reward').send({ decisionId: late.decisionId, reward: 1 });
      expectError(response, 410, 'reward_window_closed');
      expect((await decision(late.decisionId)).reward).toBeUndefined();
    });

    it.each([
      ['home', 2],
      ['home', 0.5],
      ['home', -1],
      ['search', -0.1],
      ['search', 1.5],
    ])('refuses a %s reward of %d with 400, recording nothing', async (surfaceId, value) => {
      const context = surfaceId === 'home' ? HOME_CONTEXT : { query_length: 5, hour_of_day: 20 };
      const choice = await choose({ surface: surfaceId, context });
      const version = await modelVersion(surfaceId, choice);
      const details = expectError(await api().post('/reward').send({ decisionId: choice.decisionId, reward: value }), 400, 'reward_out_of_range');
      expect(details.map((detail) => detail.path)).toEqual(['reward']);
      expect((await decision(choice.decisionId)).reward).toBeUndefined();
      expect(await modelVersion(surfaceId, choice)).toBe(version);
      // Nothing was recorded, so a valid reward is still the first one.
      expect(await reward(choice.decisionId, surfaceId === 'home' ? 1 : 0.75)).toMatchObject({ duplicate: false });
    });
  });

  describe('deferred decisions', () => {
    it('records a reward before activation without learning it, and learns it on activation', async () => {
      await closeOpenWindows();
      const choice = await choose({ surface: 'home', context: HOME_CONTEXT, defer: true });
      expect(choice.deferred).toBe(true);
      const version = await modelVersion('home', choice);
      expect(await reward(choice.decisionId, 1)).toEqual({ decisionId: choice.decisionId, reward: 1, duplicate: false, learned: false });
      await service.models.refresh();
      expect(service.models.get('home', choice.policy).version).toBe(version);
      expect(await service.sweeper.sweep()).toMatchObject({ retried: 0 });
      expect(await modelVersion('home', choice)).toBe(version);

      const activated = await api().post(`/decisions/${choice.decisionId}/activate`).expect(200);
      conforms('ActivateResponse', activated.body);
      expect(activated.body).toEqual({ decisionId: choice.decisionId, activated: true, alreadyActive: false });
      expect(await modelVersion('home', choice)).toBe(version + 1);
      const again = await api().post(`/decisions/${choice.decisionId}/activate`).expect(200);
      expect(again.body).toMatchObject({ alreadyActive: true });
      expect(await modelVersion('home', choice)).toBe(version + 1);
      expect(await decision(choice.decisionId)).toMatchObject({ reward: 1, rewardSource: 'observed' });
    });

    it('gives a deferred decision that was never activated no default reward', async () => {
      await closeOpenWindows();
      const choice = await choose({ surface: 'home', context: HOME_CONTEXT, defer: true });
      const version = await modelVersion('home', choice);
      clock.advance(HOME_WINDOW_MS + 1);
      await service.sweeper.sweep();
      expect((await decision(choice.decisionId)).reward).toBeUndefined();
      expect(await modelVersion('home', choice)).toBe(version);
    });

    it('answers alreadyActive: true when activating a decision that was never deferred', async () => {
      // openapi.yaml, ActivateResponse.alreadyActive: "True when the decision was not deferred or had been activated before."
      const choice = await choose({ surface: 'home', context: HOME_CONTEXT });
      const response = await api().post(`/decisions/${choice.decisionId}/activate`).expect(200);
      expect(response.body).toEqual({ decisionId: choice.decisionId, activated: true, alreadyActive: true });
    });

    it('answers 404 when activating an unknown decision', async () => {
      expectError(await api().post(`/decisions/${createDecisionId(clock.now())}/activate`), 404, 'unknown_decision');
    });
  });

  describe('surfaces', () => {
    it('lists the shipped surfaces', async () => {
      const response = await api().get('/surfaces').expect(200);
      conforms('SurfaceList', response.body);
      const surfaces = (response.body as { surfaces: Array<{ id: string; arms: number }> }).surfaces;
      expect(surfaces.map((row) => [row.id, row.arms])).toEqual([['browse', 7], ['home', 7], ['search', 5]]);
    });

    it('answers 404 for an unknown surface', async () => {
      expectError(await api().get('/surfaces/nowhere'), 404, 'unknown_surface');
    });

    it('counts how rewards met their decisions', async () => {
      await closeOpenWindows();
      const before = await surface('home');
      const choices = await Promise.all([1, 2, 3, 4].map(() => choose({ surface: 'home', context: HOME_CONTEXT })));
      const [rewarded, late, defaulted] = choices.map((choice) => choice.decisionId) as [string, string, string, string];
      expect((await surface('home')).rewardJoin).toEqual({ ...before.rewardJoin, pending: before.rewardJoin.pending + 4 });

      await reward(rewarded, 1);
      await reward(rewarded, 1);
      await reward(createDecisionId(clock.now()), 1, 404);
      clock.advance(HOME_WINDOW_MS + 1);
      await reward(late, 0, 410);
      expect(await service.sweeper.sweep()).toMatchObject({ defaulted: 3 });
      await reward(defaulted, 1, 410);
      const after = await surface('home');
      expect(after.decisions).toBe(before.decisions + 4);
      expect(after.rewardJoin).toEqual({
        pending: before.rewardJoin.pending,
        rewarded: before.rewardJoin.rewarded + 1,
        defaulted: before.rewardJoin.defaulted + 3,
        late: before.rewardJoin.late + 2,
        duplicate: before.rewardJoin.duplicate + 1,
        unknownId: before.rewardJoin.unknownId + 1,
      });
    });
  });

  describe('operations', () => {
    it('is alive and ready', async () => {
      const health = await api().get('/healthz').expect(200);
      conforms('Health', health.body);
      const ready = await api().get('/readyz').expect(200);
      conforms('Readiness', ready.body);
      expect(ready.body).toEqual({ ready: true, checks: { database: true, modelStore: true } });
    });

    it('exposes the decision latency, the group commits and the log queue depth to Prometheus', async () => {
      await choose({ surface: 'browse', context: { hour_of_day: 3 } });
      const response = await api().get('/metrics').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.text).toMatch(/^limelight_decision_duration_seconds_count\{surface="browse",policy="[a-z]+"\} [1-9]/m);
      expect(response.text).toMatch(/^limelight_decision_log_queue_depth 0$/m);
      expect(response.text).toMatch(/^limelight_decision_log_batch_seconds_count [1-9]/m);
      expect(response.text).toMatch(/^limelight_decision_log_batch_rows_sum [1-9]/m);
    });

    it('serves its contract as JSON and as an HTML page', async () => {
      const contract = await api().get('/openapi.json').expect(200);
      expect(contract.body).toMatchObject({ openapi: '3.1.0', paths: { '/choose': { post: { operationId: 'chooseArm' } } } });
      const docs = await api().get('/docs').expect(200);
      expect(docs.headers['content-type']).toMatch(/^text\/html/);
      expect(docs.text).toMatch(/<html/i);
      expect(docs.text).toContain('Choose an arm for a context');
    });
  });
});
