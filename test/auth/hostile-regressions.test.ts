import http from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, surfaceModelVersions, testClock, type TestService } from '../helpers/test-service.js';

/** What `hostile-requests.test.ts` found, one request each, so that a regression names itself. */
describe('hostile requests that once got through', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ backend: 'embedded', now: testClock('2026-06-01T12:00:00.000Z').now, env: { METRICS_PORT: '0' } });
  });
  afterAll(() => service.close());

  const decisions = async () => (await service.database.query<{ n: number }>('SELECT count(*)::int AS n FROM decisions')).rows[0]!.n;

  it('answers 404 for a UUIDv7 dated after the year 9999 (was a 500: Postgres cannot parse the timestamp)', async () => {
    for (const path of ['/reward', '/decisions/ffffffff-ffff-7fff-bfff-ffffffffffff/activate']) {
      const response = await request(service.url).post(path).set(service.authHeaders).send({ decisionId: 'ffffffff-ffff-7fff-bfff-ffffffffffff', reward: 1 });
      expect([path, response.status, response.body.error.code]).toEqual([path, 404, 'unknown_decision']);
    }
    await request(service.url).get('/decisions/ffffffff-ffff-7fff-bfff-ffffffffffff').set(service.authHeaders).expect(404);
  });

  it.each([1e308, -1e308, 2 ** 53 + 1, 1e7])(
    'refuses a numeric feature of %d with 422 (was logged, and once rewarded made the model infinite)',
    async (hour) => {
      const [before, versions] = [await decisions(), await surfaceModelVersions(service, 'home')];
      const response = await request(service.url).post('/choose').set(service.authHeaders).send({ surface: 'home', context: { hour_of_day: hour } });
      expect(response.status).toBe(422);
      expect(response.body.error.details).toEqual([{ path: 'context.hour_of_day', message: expect.stringContaining('must be within ±1000000 once standardised') }]);
      expect([await decisions(), await surfaceModelVersions(service, 'home')]).toEqual([before, versions]);
    },
  );

  it('refuses a body that is not UTF-8 with 400 invalid_utf8 instead of logging U+FFFD in its place', async () => {
    const before = await decisions();
    const body = Buffer.concat([Buffer.from('{"surface":"home","unit":"listener-'), Buffer.from([0xff, 0xfe]), Buffer.from('","context":{"hour_of_day":8}}')]);
    const response = await post(service, '/choose', body);
    expect(response).toMatchObject({ status: 400, code: 'invalid_utf8' });
    expect(await decisions()).toBe(before);
  });

  it('serves /metrics on METRICS_PORT only', async () => {
    await request(service.metricsUrl!).get('/metrics').expect(200).expect('content-type', /^text\/plain/);
    await request(service.url).get('/metrics').expect(404);
  });
});

function post(service: TestService, path: string, body: Buffer): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, service.url), { method: 'POST', headers: { ...service.authHeaders, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(Buffer.concat(chunks).toString()) as { error: { code: string } }).error.code }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
