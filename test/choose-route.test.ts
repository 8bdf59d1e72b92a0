import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChooseRequest } from '../src/api/api-types.js';
import { jsonBodyReader } from '../src/api/json-body.js';
import type { Principal } from '../src/auth/api-key-service.js';
import { chooseRoute, isChooseRequest } from '../src/choose-route.js';
import type { DecisionService } from '../src/decisions/decision-service.js';
import { forbidden, rateLimited, unauthorized, unprocessable } from '../src/errors.js';
import { Metrics } from '../src/metrics.js';

const KEY = 'test-key';
const ANSWER = { decisionId: 'd-1', arm: 'a', propensity: 0.5, probabilities: { a: 0.5, b: 0.5 }, policy: 'linucb', modelVersion: 0, configVersion: 'v1', deferred: false, replayed: false };
const principal = (surfaces: string[] | null): Principal => ({ id: 'k', name: 'k', scopes: new Set(['decide']), surfaces: surfaces && new Set(surfaces) });

/** What the fake decision service does with the next request: answer, or throw. */
let decide: (request: ChooseRequest) => unknown;
let chosen: ChooseRequest[];
let logged: Array<Record<string, unknown>>;
let server: Server;
let url: string;
const metrics = new Metrics(() => 0);

beforeAll(async () => {
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line) as Record<string, unknown>) });
  const route = chooseRoute({
    decisions: { choose: async (request: ChooseRequest) => (chosen.push(request), decide(request)) } as unknown as DecisionService,
    metrics,
    logger,
    auth: {
      async authorize(header) {
        if (header === `Bearer ${KEY}`) return principal(null);
        if (header === 'Bearer browse-only') return principal(['browse']);
        if (header === 'Bearer busy') throw rateLimited(7);
        throw unauthorized('The API key is unknown or revoked', 'Bearer realm="limelight", error="invalid_token"');
      },
      checkSurface(key, surface) {
        if (key.surfaces !== null && !key.surfaces.has(surface)) throw forbidden(`This API key may not act on surface "${surface}"`);
      },
    },
    readBody: jsonBodyReader(1024),
  });
  server = createServer(route).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/choose`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  decide = () => ANSWER;
  chosen = [];
  logged = [];
});

async function post(body: BodyInit, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}
const valid = JSON.stringify({ surface: 'home', context: { hour_of_day: 8 } });

describe('isChooseRequest', () => {
  const request = (method: string, url: string) => ({ method, url }) as IncomingMessage;

  it.each(['/choose', '/choose/', '/CHOOSE', '/Choose?trace=1', '/choose/?a=b'])('takes POST %s, as Express would route it', (path) => {
    expect(isChooseRequest(request('POST', path))).toBe(true);
  });

  it.each([
    ['GET', '/choose'],
    ['PUT', '/choose'],
    ['POST', '/chooser'],
    ['POST', '/choose/x'],
    ['POST', '/choose//'],
    ['POST', '/reward'],
  ])('leaves %s %s to the Express app', (method, path) => {
    expect(isChooseRequest(request(method, path))).toBe(false);
  });
});

describe('chooseRoute', () => {
  it('answers the decision as JSON with the security headers and counts it', async () => {
    const before = (await metrics.decisions.get()).values.find((value) => value.labels['policy'] === 'linucb')?.value ?? 0;
    const response = await post(valid);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(ANSWER);
    expect(chosen).toEqual([{ surface: 'home', context: { hour_of_day: 8 } }]);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
    const after = (await metrics.decisions.get()).values.find((value) => value.labels['policy'] === 'linucb')?.value;
    expect(after).toBe(before + 1);
  });

  it('reads a gzip-encoded body through body-parser, as the app does', async () => {
    const response = await post(new Blob([new Uint8Array(gzipSync(valid))]), { 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(chosen).toHaveLength(1);
  });

  it.each([
    ['no key', { authorization: '' }, valid, 401, 'unauthorized'],
    ['a key over its rate', { authorization: 'Bearer busy' }, valid, 429, 'rate_limited'],
    ['a key limited to other surfaces', { authorization: 'Bearer browse-only' }, valid, 403, 'forbidden'],
    ['invalid JSON', {}, '{"surface":', 400, 'invalid_json'],
    ['a body over the limit', {}, JSON.stringify({ surface: 'home', context: { pad: 'x'.repeat(2000) } }), 413, 'payload_too_large'],
    ['a body against the schema', {}, JSON.stringify({ surface: 7, context: {} }), 400, 'invalid_request'],
    ['a body of another type', { 'content-type': 'text/plain' }, valid, 400, 'invalid_request'],
  ])('refuses %s with a JSON error and the security headers, deciding nothing', async (_, headers, body, status, code) => {
    const response = await post(body, headers);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(chosen).toEqual([]);
  });

  it('sends the headers an error calls for', async () => {
    expect((await post(valid, { authorization: 'Bearer wrong' })).headers.get('www-authenticate')).toBe('Bearer realm="limelight", error="invalid_token"');
    expect((await post(valid, { authorization: 'Bearer busy' })).headers.get('retry-after')).toBe('7');
  });

  it("answers the decision service's own errors with their status", async () => {
    decide = () => {
      throw unprocessable('invalid_context', 'hour_of_day must be a number');
    };
    const response = await post(valid);
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'invalid_context', message: 'hour_of_day must be a number' });
    expect(logged).toEqual([]);
  });

  it('answers an unexpected failure with a generic 500 and logs it', async () => {
    decide = () => {
      throw new Error('secret internals');
    };
    const response = await post(valid);
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'internal_error', message: 'Internal server error', details: [] } });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ msg: 'request failed', method: 'POST', path: '/choose' });
  });
});
