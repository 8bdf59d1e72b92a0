import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startTestService, type TestService } from '../helpers/test-service.js';

/** A pino destination that keeps every line. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });
  return { lines, logger: createLogger('trace', stream) };
}

describe('the Authorization header in logs', () => {
  it.each([
    ['a request', { req: { headers: { authorization: 'Bearer ll_secret-1' } } }],
    ['bare headers', { headers: { authorization: 'Bearer ll_secret-1' } }],
    ['an error with its request', { err: { message: 'x' }, request: { headers: { authorization: 'Bearer ll_secret-1' } } }],
    ['a nested record', { call: { headers: { authorization: 'Bearer ll_secret-1' } } }],
  ])('is censored in %s', (_, record) => {
    const { lines, logger } = capture();
    logger.info(record, 'logged');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('ll_secret-1');
    expect(lines[0]).toContain('[redacted]');
  });
});

describe('the embedded demo without ADMIN_API_KEY', () => {
  const { lines, logger } = capture();
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ backend: 'embedded', env: { ADMIN_API_KEY: '' }, logger });
  });
  afterAll(() => service.close());

  it('logs a development key with every scope once, in a labelled line, and no key anywhere else', async () => {
    const labelled = lines.filter((line) => line.includes('DEVELOPMENT API KEY'));
    expect(labelled).toHaveLength(1);
    const key = (JSON.parse(labelled[0]!) as { developmentApiKey: string }).developmentApiKey;
    expect(key).toMatch(/^ll_[A-Za-z0-9_-]{43}$/);
    const dev = { authorization: `Bearer ${key}` };
    await request(service.url).get('/surfaces').set(dev).expect(200);
    await request(service.url).post('/choose').set(dev).send({ surface: 'browse', context: { hour_of_day: 3 } }).expect(200);
    const created = await request(service.url).post('/admin/keys').set(dev).send({ name: 'logged?', scopes: ['read'] }).expect(201);
    const other = created.body.key as string;
    await request(service.url).get('/surfaces').set({ authorization: `Bearer ${other}` }).expect(200);
    await request(service.url).get('/surfaces').set({ authorization: 'Bearer ll_wrong-key-never-logged' }).expect(401);
    // The configured-but-absent ADMIN_API_KEY of the helper is not a key here.
    await request(service.url).get('/surfaces').set(service.authHeaders).expect(401);
    expect(lines.filter((line) => line.includes(key))).toEqual(labelled);
    for (const secret of [other, 'll_wrong-key-never-logged', service.adminKey]) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
