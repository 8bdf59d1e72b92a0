import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaViolations } from '../../src/api/schema-validator.js';
import { startTestService, testClock, type TestService } from '../helpers/test-service.js';
import { driveSyntheticTraffic } from './synthetic-traffic.js';

describe('GET /surfaces/{surfaceId}/report', () => {
  const clock = testClock('2026-06-01T00:00:00.000Z');
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ backend: 'embedded', now: clock.now });
    await driveSyntheticTraffic(service, clock, { surface: 'home', days: 2, decisionsPerDay: 100, seed: 'report-api' });
  });

  afterAll(async () => {
    await service.close();
  });

  const api = () => request(service.url);

  it('answers a report that conforms to the Report schema', async () => {
    const { body } = await api().get('/surfaces/home/report').set(service.authHeaders).expect(200);
    expect(schemaViolations('Report', body)).toEqual([]);
    expect(body.policyArms.map((arm: { policyArm: string }) => arm.policyArm)).toEqual(['linucb', 'lints', 'control']);
    expect(body.policyArms.reduce((sum: number, arm: { decisions: number }) => sum + arm.decisions, 0)).toBe(200);
    expect(body.timeSeries.days).toEqual(['2026-06-01', '2026-06-02']);
    expect(body.leaderboard.entries).toHaveLength(3);
  });

  it('keeps to the window and skips the leaderboard on request', async () => {
    const { body } = await api()
      .get('/surfaces/home/report?from=2026-06-02T00:00:00Z&to=2026-06-03T00:00:00Z&leaderboard=false')
      .set(service.authHeaders)
      .expect(200);
    expect(body.timeSeries.days).toEqual(['2026-06-02']);
    expect(body.leaderboard).toBeNull();
  });

  it.each([
    ['from=yesterday', [{ path: 'from', message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-01T00:00:00Z' }]],
    ['from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z', [{ path: 'to', message: 'must be after from' }]],
    ['leaderboard=yes', [{ path: 'leaderboard', message: 'must be true or false' }]],
  ])('refuses ?%s with 400', async (query, details) => {
    const { body } = await api().get(`/surfaces/home/report?${query}`).set(service.authHeaders).expect(400);
    expect(body.error).toMatchObject({ code: 'invalid_request', details });
  });

  it('answers 404 for an unknown surface and 401 without a key', async () => {
    await api().get('/surfaces/nowhere/report').set(service.authHeaders).expect(404);
    await api().get('/surfaces/home/report').expect(401);
  });
});
