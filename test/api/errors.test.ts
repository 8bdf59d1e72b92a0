import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { validateSchema } from '../../src/api/schema-validator.js';
import { badRequest, errorHandler, gone, notFound, notFoundHandler, unprocessable } from '../../src/errors.js';

function appWith(onInternalError: (error: unknown) => void) {
  const app = express();
  app.use(express.json({ limit: '1kb' }));
  app.get('/bad', () => {
    throw badRequest('invalid_reward', 'reward 2 is outside [0, 1]', [{ path: 'reward', message: 'must be within [0, 1]' }]);
  });
  app.get('/missing', () => {
    throw notFound('unknown_surface', "no surface 'nope'");
  });
  app.get('/late', () => {
    throw gone('reward_window_closed', 'the attribution window closed at 2026-01-01T00:30:00.000Z');
  });
  app.get('/unfit', async () => {
    await Promise.resolve();
    throw unprocessable('invalid_context', 'context does not match the surface', [{ path: 'context.device', message: 'is required' }]);
  });
  app.get('/bug', () => {
    throw new Error('secret connection string postgres://user:pw@db');
  });
  app.get('/database-down', () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  });
  app.post('/echo', (req, res) => {
    res.json(req.body);
  });
  app.use(notFoundHandler);
  app.use(errorHandler({ onInternalError: (error) => onInternalError(error) }));
  return app;
}

describe('errorHandler', () => {
  it('answers 503 when the database cannot be reached, and still reports it', async () => {
    const reported: unknown[] = [];
    const response = await request(appWith((error) => reported.push(error))).get('/database-down');
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('database_unavailable');
    expect(JSON.stringify(response.body)).not.toContain('5432');
    expect(reported).toHaveLength(1);
  });

  const internal: unknown[] = [];
  const app = appWith((error) => internal.push(error));

  it.each([
    ['/bad', 400, 'invalid_reward', 'reward 2 is outside [0, 1]', [{ path: 'reward', message: 'must be within [0, 1]' }]],
    ['/missing', 404, 'unknown_surface', "no surface 'nope'", []],
    ['/late', 410, 'reward_window_closed', 'the attribution window closed at 2026-01-01T00:30:00.000Z', []],
    ['/unfit', 422, 'invalid_context', 'context does not match the surface', [{ path: 'context.device', message: 'is required' }]],
    ['/no/such/route', 404, 'route_not_found', 'No route for GET /no/such/route', []],
  ])('renders GET %s as %i %s', async (path, status, code, message, details) => {
    const response = await request(app).get(path);
    expect(response.status).toBe(status);
    expect(response.type).toBe('application/json');
    expect(validateSchema('Error', response.body)).toEqual({ error: { code, message, details } });
  });

  it('hides an unexpected error behind a generic 500 and hands it to the logger', async () => {
    const response = await request(app).get('/bug');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'internal_error', message: 'Internal server error', details: [] } });
    expect(response.text).not.toMatch(/secret|postgres|stack|at .*\.ts/);
    expect(internal).toHaveLength(1);
    expect(internal[0]).toHaveProperty('message', 'secret connection string postgres://user:pw@db');
  });

  it('maps malformed JSON to 400 invalid_json', async () => {
    const response = await request(app).post('/echo').set('content-type', 'application/json').send('{"reward": ');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
    expect(response.text).not.toMatch(/stack|node_modules/);
  });

  it('maps an oversized body to 413 payload_too_large', async () => {
    const response = await request(app).post('/echo').send({ padding: 'x'.repeat(2048) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });
});
