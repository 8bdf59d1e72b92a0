import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '../../src/auth/token-bucket-limiter.js';
import { startTestService, type TestService } from '../helpers/test-service.js';

describe('TokenBucketLimiter', () => {
  it('allows a burst, then one request per 1/rate seconds, per key', () => {
    let ms = 0;
    const limiter = new TokenBucketLimiter(2, 3, () => ms);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    // Empty bucket at 2 tokens/s: a whole token is 0.5 s away, rounded up to whole seconds.
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').allowed).toBe(true);
    ms += 499;
    expect(limiter.take('a').allowed).toBe(false);
    ms += 1;
    expect(limiter.take('a').allowed).toBe(true);
    ms += 60_000;
    // Refilled to the burst, never beyond it.
    expect([1, 2, 3, 4].map(() => limiter.take('a').allowed)).toEqual([true, true, true, false]);
  });

  it('says how many whole seconds to wait at a slow rate', () => {
    let ms = 0;
    const limiter = new TokenBucketLimiter(0.1, 1, () => ms);
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    ms += 4_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 6 });
  });

  it.each([[0, 1], [1, 0.5], [Number.NaN, 1]])('refuses a rate of %d with a burst of %d', (rate, burst) => {
    expect(() => new TokenBucketLimiter(rate, burst)).toThrow(RangeError);
  });
});

describe('per-key rate limit over HTTP', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ backend: 'embedded', env: { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '2' } });
  });
  afterAll(() => service.close());

  it('answers 429 rate_limited with Retry-After once a key has spent its burst, leaving other keys alone', async () => {
    const created = await request(service.url).post('/admin/keys').set(service.authHeaders).send({ name: 'reader', scopes: ['read'] }).expect(201);
    const reader = { authorization: `Bearer ${created.body.key as string}` };
    await request(service.url).get('/surfaces').set(reader).expect(200);
    await request(service.url).get('/surfaces').set(reader).expect(200);
    const limited = await request(service.url).get('/surfaces').set(reader);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBe('1');
    // The admin key spent one token creating the key; it has another.
    await request(service.url).get('/surfaces').set(service.authHeaders).expect(200);
    // Requests without a valid key are not counted against anyone's bucket, and stay 401.
    await request(service.url).get('/surfaces').set({ authorization: 'Bearer ll_unknown-key-for-this-test' }).expect(401);
  });
});
