import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChooseResponse } from '../../src/api/api-types.js';
import { hashApiKey } from '../../src/auth/api-key.js';
import { schemaViolations } from '../../src/api/schema-validator.js';
import { serviceBackends, startTestService, testClock, type TestService } from '../helpers/test-service.js';

const START = '2026-06-01T12:00:00.000Z';
const HOME_CONTEXT = { hour_of_day: 8, device: 'ios', premium: true };
const BROWSE_CONTEXT = { hour_of_day: 3 };

type Route = { name: string; method: 'get' | 'post' | 'delete'; path: (ids: Ids) => string; body?: (ids: Ids) => object; scope: 'decide' | 'read' | 'admin' };
interface Ids {
  homeDecision: string;
  browseDecision: string;
}

/** Every protected route, with a request that is valid for it when the key may make it. */
const ROUTES: Route[] = [
  { name: 'POST /choose', method: 'post', path: () => '/choose', body: () => ({ surface: 'home', context: HOME_CONTEXT }), scope: 'decide' },
  { name: 'POST /reward', method: 'post', path: () => '/reward', body: (ids) => ({ decisionId: ids.homeDecision, reward: 0 }), scope: 'decide' },
  { name: 'POST /decisions/{id}/activate', method: 'post', path: (ids) => `/decisions/${ids.homeDecision}/activate`, scope: 'decide' },
  { name: 'GET /decisions/{id}', method: 'get', path: (ids) => `/decisions/${ids.homeDecision}`, scope: 'decide' },
  { name: 'GET /surfaces', method: 'get', path: () => '/surfaces', scope: 'read' },
  { name: 'GET /surfaces/{id}', method: 'get', path: () => '/surfaces/home', scope: 'read' },
  { name: 'GET /surfaces/{id}/report', method: 'get', path: () => '/surfaces/home/report?leaderboard=false', scope: 'read' },
  { name: 'GET /admin/keys', method: 'get', path: () => '/admin/keys', scope: 'admin' },
  { name: 'POST /admin/rebuild', method: 'post', path: () => '/admin/rebuild', body: () => ({ surface: 'browse' }), scope: 'admin' },
  { name: 'POST /admin/reload', method: 'post', path: () => '/admin/reload', scope: 'admin' },
];

describe.each(serviceBackends())('access control on the %s backend', (backend) => {
  let service: TestService;
  const keys: Record<string, string> = {};
  const keyIds: Record<string, string> = {};
  const ids: Ids = { homeDecision: '', browseDecision: '' };

  beforeAll(async () => {
    service = await startTestService({ backend, now: testClock(START).now });
    for (const [name, scopes, surfaces] of [
      ['decide', ['decide'], undefined],
      ['read', ['read'], undefined],
      ['admin', ['admin'], undefined],
      ['decide-browse', ['decide'], ['browse']],
      ['read-browse', ['read'], ['browse']],
    ] as const) {
      const response = await request(service.url).post('/admin/keys').set(service.authHeaders).send({ name, scopes, ...(surfaces ? { surfaces } : {}) }).expect(201);
      expect(schemaViolations('CreatedApiKey', response.body)).toEqual([]);
      keys[name] = response.body.key as string;
      keyIds[name] = response.body.apiKey.id as string;
    }
    const choose = (surface: string, context: object) =>
      request(service.url).post('/choose').set(service.authHeaders).send({ surface, context }).expect(200).then((r) => (r.body as ChooseResponse).decisionId);
    ids.homeDecision = await choose('home', HOME_CONTEXT);
    ids.browseDecision = await choose('browse', BROWSE_CONTEXT);
  });
  afterAll(() => service.close());

  const call = (route: Route, headers: Record<string, string>) => {
    const pending = request(service.url)[route.method](route.path(ids)).set(headers);
    return route.body ? pending.send(route.body(ids)) : pending;
  };
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  function expectError(response: request.Response, status: number, code: string) {
    expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
    expect(schemaViolations('Error', response.body)).toEqual([]);
  }

  describe.each(ROUTES)('$name', (route) => {
    it.each([
      ['no Authorization header', {}, 'Bearer realm="limelight"'],
      ['a Basic header', { authorization: 'Basic dXNlcjpwdw==' }, 'Bearer realm="limelight", error="invalid_request"'],
      ['an empty bearer', { authorization: 'Bearer ' }, 'Bearer realm="limelight", error="invalid_request"'],
      ['an unknown key', { authorization: 'Bearer ll_not-a-key-anyone-was-given' }, 'Bearer realm="limelight", error="invalid_token"'],
    ])('answers 401 with a Bearer challenge to %s', async (_, headers, challenge) => {
      const response = await call(route, headers);
      expectError(response, 401, 'unauthorized');
      expect(response.headers['www-authenticate']).toBe(challenge);
    });

    it.each(['decide', 'read', 'admin'] as const)('with a %s key: allowed only with its scope', async (scope) => {
      const response = await call(route, bearer(keys[scope]!));
      if (scope === route.scope) expect([200, 201]).toContain(response.status);
      else expectError(response, 403, 'forbidden');
    });
  });

  it('refuses an anonymous body before parsing it: 401, not 400', async () => {
    const response = await request(service.url).post('/choose').set('content-type', 'application/json').send('{"surface": ');
    expectError(response, 401, 'unauthorized');
  });

  describe('a key limited to surfaces', () => {
    it.each([
      ['POST /choose on home', 'decide-browse', (s: TestService) => request(s.url).post('/choose').send({ surface: 'home', context: HOME_CONTEXT }), 403],
      ['POST /choose on browse', 'decide-browse', (s: TestService) => request(s.url).post('/choose').send({ surface: 'browse', context: BROWSE_CONTEXT }), 200],
      ['POST /reward on a home decision', 'decide-browse', (s: TestService) => request(s.url).post('/reward').send({ decisionId: ids.homeDecision, reward: 1 }), 403],
      ['POST /reward on a browse decision', 'decide-browse', (s: TestService) => request(s.url).post('/reward').send({ decisionId: ids.browseDecision, reward: 1 }), 200],
      ['activating a home decision', 'decide-browse', (s: TestService) => request(s.url).post(`/decisions/${ids.homeDecision}/activate`), 403],
      ['GET a home decision', 'decide-browse', (s: TestService) => request(s.url).get(`/decisions/${ids.homeDecision}`), 403],
      ['GET a browse decision', 'decide-browse', (s: TestService) => request(s.url).get(`/decisions/${ids.browseDecision}`), 200],
      ['GET /surfaces/home', 'read-browse', (s: TestService) => request(s.url).get('/surfaces/home'), 403],
      ['GET /surfaces/browse', 'read-browse', (s: TestService) => request(s.url).get('/surfaces/browse'), 200],
      ['GET /surfaces/home/report', 'read-browse', (s: TestService) => request(s.url).get('/surfaces/home/report?leaderboard=false'), 403],
    ])('%s with %s: %d', async (_, key, send, status) => {
      const response = await send(service).set(bearer(keys[key]!));
      if (status === 403) expectError(response, 403, 'forbidden');
      else expect(response.status).toBe(status);
    });
  });

  it.each(['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'])('leaves %s open', async (path) => {
    await request(service.url).get(path).expect(200);
  });

  it('sends helmet security headers with a same-origin script policy', async () => {
    for (const path of ['/healthz', '/docs', '/surfaces']) {
      const response = await request(service.url).get(path).set(service.authHeaders);
      const csp = response.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  describe('key management', () => {
    it('stores only the SHA-256 of a key, and lists keys without secrets', async () => {
      const { rows } = await service.database.query<Record<string, unknown>>('SELECT * FROM api_keys');
      const stored = JSON.stringify(rows);
      for (const key of Object.values(keys)) {
        expect(stored).not.toContain(key);
        expect(stored).toContain(hashApiKey(key));
      }
      const listed = await request(service.url).get('/admin/keys').set(service.authHeaders).expect(200);
      expect(schemaViolations('ApiKeyList', listed.body)).toEqual([]);
      const text = JSON.stringify(listed.body);
      for (const key of Object.values(keys)) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(hashApiKey(key));
      }
      expect((listed.body.keys as Array<{ name: string; surfaces: string[] | null }>).map((key) => [key.name, key.surfaces])).toEqual(
        expect.arrayContaining([['decide', null], ['decide-browse', ['browse']]]),
      );
    });

    it('refuses a revoked key at once, and keeps it listed as revoked', async () => {
      const created = await request(service.url).post('/admin/keys').set(service.authHeaders).send({ name: 'short-lived', scopes: ['read'] }).expect(201);
      const key = created.body.key as string;
      await request(service.url).get('/surfaces').set(bearer(key)).expect(200);
      const revoked = await request(service.url).delete(`/admin/keys/${created.body.apiKey.id}`).set(service.authHeaders).expect(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      const refused = await request(service.url).get('/surfaces').set(bearer(key));
      expectError(refused, 401, 'unauthorized');
      expect(refused.headers['www-authenticate']).toContain('invalid_token');
      const again = await request(service.url).delete(`/admin/keys/${created.body.apiKey.id}`).set(service.authHeaders).expect(200);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    });

    it.each([
      ['an unknown scope', { name: 'x', scopes: ['write'] }, 400, 'invalid_request'],
      ['no scope', { name: 'x', scopes: [] }, 400, 'invalid_request'],
      ['an unknown surface', { name: 'x', scopes: ['decide'], surfaces: ['nowhere'] }, 422, 'unknown_surface'],
      ['an empty name', { name: '', scopes: ['read'] }, 400, 'invalid_request'],
    ])('refuses to create a key with %s', async (_, body, status, code) => {
      expectError(await request(service.url).post('/admin/keys').set(service.authHeaders).send(body), status, code);
    });

    it('answers 404 for revoking an unknown key, 400 for a malformed id', async () => {
      expectError(await request(service.url).delete('/admin/keys/00000000-0000-4000-8000-000000000000').set(service.authHeaders), 404, 'unknown_api_key');
      expectError(await request(service.url).delete('/admin/keys/nope').set(service.authHeaders), 400, 'invalid_request');
    });
  });

  it('rebuilds a surface from the log on POST /admin/rebuild', async () => {
    const response = await request(service.url).post('/admin/rebuild').set(bearer(keys['admin']!)).send({ surface: 'browse' }).expect(200);
    expect(schemaViolations('RebuildResponse', response.body)).toEqual([]);
    const policyArms = service.models.all().filter((model) => model.surface.config.id === 'browse').map((model) => model.policyArmId);
    expect(response.body.policyArms.map((row: { policy: string }) => row.policy)).toEqual(policyArms);
    expectError(await request(service.url).post('/admin/rebuild').set(bearer(keys['admin']!)).send({ surface: 'nowhere' }), 404, 'unknown_surface');
  });
});
