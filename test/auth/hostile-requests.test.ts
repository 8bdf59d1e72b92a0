import http from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChooseResponse } from '../../src/api/api-types.js';
import { schemaViolations } from '../../src/api/schema-validator.js';
import { createDecisionId } from '../../src/decisions/decision-id.js';
import { serviceBackends, startTestService, testClock, type TestService } from '../helpers/test-service.js';

/**
 * Property: no malformed or hostile request to /choose or /reward, sent with a valid `decide` key, gets
 * anything but a 4xx JSON error, and none of them changes the decision log or the model statistics.
 * Every generated request is invalid by construction (a valid one would rightly change the log); the
 * requests are sampled with a fixed seed, so a failure names bodies that reproduce it.
 */
const SEED = 20_261_126;
const REQUESTS = 10_000;
const CONCURRENCY = 8;
const TIMEOUT_MS = 5_000;
const BODY_LIMIT = 65_536;

const HOME_CONTEXT = { hour_of_day: 8, device: 'ios', premium: true };
const SEARCH_CONTEXT = { query_length: 5, hour_of_day: 20 };

interface RawRequest {
  path: '/choose' | '/reward';
  contentType: string;
  body: Buffer;
}

// ---- hostile values ------------------------------------------------------------------------------

const INJECTIONS = [
  "'; DROP TABLE decisions; --",
  "home' OR '1'='1",
  '1; SELECT pg_sleep(10)',
  '$1',
  '\\x00',
  '\u0000',
  '","reward":1,"x":"',
  '"}},{"surface":"home',
  '{"$gt": ""}',
  '${7*7}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '\ud800',
];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const HUGE_NUMBERS = [1e308, -1e308, 2 ** 53 + 1, -(2 ** 53 + 1), Number.MAX_VALUE, -Number.MAX_VALUE, 1e16, -1e16, 2 ** 63, 1e7, -1e7];
/** Number tokens spelled as raw JSON text (several are not JSON at all, or parse to ±Infinity). */
const RAW_NUMBER_TOKENS = ['NaN', '-NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '1e308', '-1e308', '9007199254740993', '0x10', '1_000', '01', '.5', '+1', '1e', '--1'];
const NUMBER_STRINGS = ['NaN', 'Infinity', '-Infinity', '1e308', '-1e308', '9007199254740993', '1', '0', ''];

const hostileScalar = fc.oneof(
  fc.constantFrom(...INJECTIONS, ...PROTOTYPE_KEYS, ...NUMBER_STRINGS),
  fc.constantFrom(...HUGE_NUMBERS),
  fc.constantFrom(null, true, false, -0, -1, 0.5, 2),
  fc.string({ maxLength: 40 }),
  fc.double(),
  fc.integer(),
);

/** A value nested `depth` times in arrays or objects, built as text (JSON.stringify would recurse). */
const deeplyNested = fc
  .record({ depth: fc.integer({ min: 50, max: 1_000 }), kind: fc.constantFrom('array', 'object', 'mixed') })
  .map(({ depth, kind }) => {
    let open = '';
    let close = '';
    for (let i = 0; i < depth; i++) {
      const object = kind === 'object' || (kind === 'mixed' && i % 2 === 0);
      open += object ? '{"a":' : '[';
      close = (object ? '}' : ']') + close;
    }
    return `${open}1${close}`;
  });

/** Any JSON value as text: a hostile scalar, a deep nesting, or a structure of those. */
const hostileJson: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_NUMBER_TOKENS) },
  { weight: 1, arbitrary: deeplyNested },
  { weight: 2, arbitrary: fc.array(hostileScalar, { maxLength: 4 }).map((value) => JSON.stringify(value)) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 10 })), hostileScalar), { maxLength: 4 })
      .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`),
  },
);

/** An object as JSON text from [key, value-text] pairs, so that keys may repeat and values may be non-JSON. */
const objectText = (entries: ReadonlyArray<readonly [string, string]>): string =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;

const json = (value: unknown): string => JSON.stringify(value);

// ---- /choose -------------------------------------------------------------------------------------

const surfaceIds = ['home', 'search', 'browse'];

const notASurface = hostileJson.filter((text) => !surfaceIds.some((id) => text === json(id)));

/** A context value that the surface must refuse for a numeric feature. */
const badNumericFeature = fc.oneof(
  fc.constantFrom(...RAW_NUMBER_TOKENS).filter((token) => !/^-?1e308$|^9007199254740993$/.test(token)),
  fc.constantFrom(...NUMBER_STRINGS).map(json),
  fc.constantFrom(...HUGE_NUMBERS).map(json),
  fc.constantFrom('null', 'true', '[]', '{}', '[1]', '{"value":8}'),
  deeplyNested,
);

const chooseBodies: fc.Arbitrary<string> = fc.oneof(
  // A hostile surface.
  notASurface.map((surface) => objectText([['surface', surface], ['context', json(HOME_CONTEXT)]])),
  // A context that is not an object, or whose numeric feature is hostile.
  hostileJson.filter((text) => !text.startsWith('{')).map((context) => objectText([['surface', '"home"'], ['context', context]])),
  badNumericFeature.map((value) => objectText([['surface', '"home"'], ['context', objectText([['hour_of_day', value], ['device', '"ios"']])]])),
  // Undeclared context keys, prototype keys among them.
  fc
    .tuple(fc.constantFrom(...PROTOTYPE_KEYS, ...INJECTIONS), hostileJson)
    .map(([key, value]) => objectText([['surface', '"home"'], ['context', objectText([['hour_of_day', '8'], [key, value]])]])),
  // Unknown properties at the top level, prototype keys among them.
  fc
    .tuple(fc.constantFrom(...PROTOTYPE_KEYS, 'priority', 'reward', 'decisionId', 'Surface'), hostileJson)
    .map(([key, value]) => objectText([['surface', '"home"'], ['context', json(HOME_CONTEXT)], [key, value]])),
  // Unknown, duplicated or malformed candidates.
  fc
    .array(fc.oneof(fc.constantFrom('album:no-such-thing', 'campaign:premium-holiday-trial', ...PROTOTYPE_KEYS, ...INJECTIONS), fc.string({ maxLength: 20 })), { minLength: 1, maxLength: 4 })
    .map((candidates) => objectText([['surface', '"home"'], ['context', json(HOME_CONTEXT)], ['candidates', json(candidates)]])),
  fc.constantFrom('[]', '"album:focus-flow"', '[1]', '[null]', '["album:focus-flow","album:focus-flow"]').map((candidates) =>
    objectText([['surface', '"home"'], ['context', json(HOME_CONTEXT)], ['candidates', candidates]]),
  ),
  // Wrong types for the optional fields.
  fc
    .tuple(fc.constantFrom('unit', 'eventId', 'defer'), hostileJson)
    .filter(([field, value]) => (field === 'defer' ? value !== 'true' && value !== 'false' : !value.startsWith('"') || value === '""'))
    .map(([field, value]) => objectText([['surface', '"home"'], ['context', json(HOME_CONTEXT)], [field, value]])),
  // Duplicate keys: the last one, which JSON.parse keeps, is hostile.
  notASurface.map((surface) => objectText([['surface', '"home"'], ['context', json(HOME_CONTEXT)], ['surface', surface]])),
  hostileJson
    .filter((text) => !text.startsWith('{'))
    .map((context) => objectText([['surface', '"home"'], ['context', json(HOME_CONTEXT)], ['context', context]])),
);

// ---- /reward -------------------------------------------------------------------------------------

/** A reward no surface accepts: not a number, or outside [0, 1]. */
const badReward = fc.oneof(
  fc.constantFrom(...RAW_NUMBER_TOKENS).filter((token) => !['01', '.5', '+1'].includes(token)),
  fc.constantFrom(...NUMBER_STRINGS, ...INJECTIONS).map(json),
  fc.constantFrom(...HUGE_NUMBERS, -1, 1.0000001, -1e-9, 2, 1e-320 - 1).map(json),
  fc.double({ noNaN: true }).filter((x) => !(x >= 0 && x <= 1)).map(json),
  fc.constantFrom('null', 'true', 'false', '[]', '{}', '[1]', '{"value":1}'),
  deeplyNested,
);

function rewardBodies(decisionIds: readonly string[]): fc.Arbitrary<string> {
  const known = fc.constantFrom(...decisionIds).map(json);
  return fc.oneof(
    // A known decision, a hostile reward.
    fc.tuple(known, badReward).map(([id, reward]) => objectText([['decisionId', id], ['reward', reward]])),
    // A hostile decision id.
    fc
      .tuple(
        fc.oneof(
          hostileJson,
          fc.constant(null).map(() => json(randomUUIDv4Like())),
          fc.constantFrom('"00000000-0000-0000-0000-000000000000"', '"ffffffff-ffff-7fff-bfff-ffffffffffff"', `"${createDecisionId(new Date(0))}"`),
        ),
        fc.constantFrom('0', '1', '0.5'),
      )
      .map(([id, reward]) => objectText([['decisionId', id], ['reward', reward]])),
    // Extra properties, prototype keys among them.
    fc
      .tuple(known, fc.constantFrom(...PROTOTYPE_KEYS, 'weight', 'surface'), hostileJson)
      .map(([id, key, value]) => objectText([['decisionId', id], ['reward', '1'], [key, value]])),
    // Duplicate keys: the kept (last) reward is hostile.
    fc.tuple(known, badReward).map(([id, reward]) => objectText([['decisionId', id], ['reward', '1'], ['reward', reward]])),
    // Missing fields.
    known.map((id) => objectText([['decisionId', id]])),
    badReward.map((reward) => objectText([['reward', reward]])),
  );
}

/** A v4 UUID: well-formed, but not a decision id (no timestamp); the fixed seed keeps it reproducible. */
let v4Counter = 0;
function randomUUIDv4Like(): string {
  v4Counter += 1;
  return `${v4Counter.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
}

// ---- whole requests ------------------------------------------------------------------------------

/** Replaces one byte range of a valid body's string value with bytes that are not UTF-8. */
const BAD_UTF8 = [[0xff], [0xc3, 0x28], [0xe2, 0x28, 0xa1], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]];

function requests(decisionIds: readonly string[]): fc.Arbitrary<RawRequest> {
  const text = (path: RawRequest['path']) => (body: string): RawRequest => ({ path, contentType: 'application/json', body: Buffer.from(body, 'utf8') });
  const validChoose = json({ surface: 'home', unit: 'UNIT', context: HOME_CONTEXT });
  const validReward = (id: string) => json({ decisionId: id, reward: 1 });
  return fc.oneof(
    { weight: 10, arbitrary: chooseBodies.map(text('/choose')) },
    { weight: 10, arbitrary: rewardBodies(decisionIds).map(text('/reward')) },
    // Bad UTF-8 inside an otherwise valid body.
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...BAD_UTF8), fc.boolean(), fc.constantFrom(...decisionIds)).map(([bytes, choose, id]): RawRequest => {
        const [before, after] = (choose ? validChoose.replace('UNIT', 'u\u0001') : validReward(id).replace('"reward"', '"rew\u0001ard"')).split('\u0001') as [string, string];
        return { path: choose ? '/choose' : '/reward', contentType: 'application/json', body: Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]) };
      }),
    },
    // Oversized bodies.
    {
      weight: 1,
      arbitrary: fc.tuple(fc.integer({ min: BODY_LIMIT + 1, max: 4 * BODY_LIMIT }), fc.boolean()).map(([size, choose]): RawRequest => ({
        path: choose ? '/choose' : '/reward',
        contentType: 'application/json',
        body: Buffer.from(json({ surface: 'home', context: HOME_CONTEXT, unit: 'u'.repeat(size) })),
      })),
    },
    // Bodies that are not a JSON object at all.
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.oneof(hostileJson.filter((body) => !body.startsWith('{')), fc.constantFrom('', '{', '{"surface":', '{}}', '{"a":1,}', "{'surface':'home'}", '\ufeff{}')), fc.boolean())
        .map(([body, choose]) => text(choose ? '/choose' : '/reward')(body)),
    },
    // A valid body under a content type or charset that is not JSON in UTF-8.
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/json; charset=utf-16le', 'application/xml', ''),
          fc.boolean(),
          fc.constantFrom(...decisionIds),
        )
        .map(([contentType, choose, id]): RawRequest => ({ path: choose ? '/choose' : '/reward', contentType, body: Buffer.from(choose ? validChoose : validReward(id)) })),
    },
  );
}

// ---- the client ----------------------------------------------------------------------------------

interface Outcome {
  status: number;
  contentType: string;
  body: string;
}

function send(agent: http.Agent, baseUrl: string, authorization: string, raw: RawRequest): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const url = new URL(raw.path, baseUrl);
    const headers: Record<string, string | number> = { authorization, 'content-length': raw.body.length };
    if (raw.contentType !== '') headers['content-type'] = raw.contentType;
    let settled = false;
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        settled = true;
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    // The service may answer 413 and close before an oversized body is written out; the answer counts.
    req.on('error', (error) => {
      if (!settled) reject(error);
    });
    req.end(raw.body);
  });
}

function describeRequest(raw: RawRequest): string {
  const text = raw.body.toString('latin1');
  return `POST ${raw.path} [${raw.contentType}] ${text.length > 300 ? `${text.slice(0, 300)}… (${text.length} bytes)` : text}`;
}

describe('hostile requests', () => {
  // Postgres and Redis when configured (the production shape), else the embedded default.
  const backend = serviceBackends().at(-1)!;
  let service: TestService;
  let decisionKey: string;
  const decisionIds: string[] = [];

  beforeAll(async () => {
    // Every campaign arm is off-flight on this day, so a campaign arm as a candidate is refused.
    service = await startTestService({ backend, now: testClock('2026-06-01T12:00:00.000Z').now, env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
    const created = await request(service.url).post('/admin/keys').set(service.authHeaders).send({ name: 'fuzz', scopes: ['decide'] }).expect(201);
    decisionKey = (created.body as { key: string }).key;
    for (const [surface, context] of [['home', HOME_CONTEXT], ['search', SEARCH_CONTEXT], ['home', HOME_CONTEXT], ['search', SEARCH_CONTEXT]] as const) {
      const choice = await request(service.url).post('/choose').set(service.authHeaders).send({ surface, context }).expect(200);
      decisionIds.push((choice.body as ChooseResponse).decisionId);
    }
    // One rewarded decision, so that hostile rewards also meet a decision that already has one.
    await request(service.url).post('/reward').set(service.authHeaders).send({ decisionId: decisionIds[0], reward: 1 }).expect(200);
  });
  afterAll(() => service?.close());

  /** The decision log and every model's statistics, as comparable values. */
  async function snapshot() {
    const { rows } = await service.database.query<{ decisions: number; rewarded: number; learned: number }>(
      'SELECT count(*)::int AS decisions, count(reward)::int AS rewarded, count(learned_at)::int AS learned FROM decisions',
    );
    const models = await Promise.all(
      service.models.all().map(async (model) => {
        const state = await service.modelStore.read(model.key, model.policy.learner.statisticsLength);
        return { key: model.key, version: state.version, arms: [...state.arms].map(([arm, statistics]) => [arm, [...statistics]]).sort() };
      }),
    );
    return { log: rows[0], models };
  }

  it(`answers ${REQUESTS} malformed or hostile requests with a 4xx JSON error, changing nothing`, async () => {
    const sample = fc.sample(requests(decisionIds), { seed: SEED, numRuns: REQUESTS });
    const before = await snapshot();
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < sample.length) {
        const raw = sample[next++]!;
        try {
          const outcome = await send(agent, service.url, `Bearer ${decisionKey}`, raw);
          statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
          const problem = problemWith(outcome);
          if (problem) failures.push(`${problem}: ${describeRequest(raw)} → ${outcome.status} ${outcome.body.slice(0, 200)}`);
        } catch (error) {
          failures.push(`${(error as Error).message}: ${describeRequest(raw)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    const seconds = (performance.now() - started) / 1000;
    console.info(`${sample.length} hostile requests in ${seconds.toFixed(1)} s on ${backend}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

function problemWith(outcome: Outcome): string | undefined {
  if (outcome.status < 400 || outcome.status >= 500) return `status ${outcome.status}`;
  if (!/^application\/json/.test(outcome.contentType)) return `content type ${outcome.contentType}`;
  let body: unknown;
  try {
    body = JSON.parse(outcome.body);
  } catch {
    return 'a body that is not JSON';
  }
  const violations = schemaViolations('Error', body);
  return violations.length > 0 ? `an error body off the contract (${JSON.stringify(violations)})` : undefined;
}
