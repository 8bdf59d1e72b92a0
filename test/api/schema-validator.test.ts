import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  openApiDocument,
  schemaViolations,
  type SchemaName,
  validateBody,
  validateSchema,
} from '../../src/api/schema-validator.js';
import { AppError, errorHandler } from '../../src/errors.js';

const decisionId = '3b241101-e2bb-4255-8caf-4136c566a962';

describe('validateSchema', () => {
  it('compiles every schema of openapi.yaml in strict mode', () => {
    const { components } = openApiDocument() as { components: { schemas: Record<string, unknown> } };
    const names = Object.keys(components.schemas) as SchemaName[];
    expect(names).toContain('SurfaceConfig');
    for (const name of names) expect(() => schemaViolations(name, null), name).not.toThrow();
  });

  it('returns a conforming value unchanged', () => {
    const body = { surface: 'home', unit: 'user-1', context: { hour_of_day: 9, premium: true, device: 'ios' } };
    expect(validateSchema('ChooseRequest', body)).toBe(body);
  });

  it.each([
    ['a string where a number belongs', 'RewardRequest', { decisionId, reward: '1' }, [{ path: 'reward', message: 'must be number' }]],
    ['the string "NaN"', 'RewardRequest', { decisionId, reward: 'NaN' }, [{ path: 'reward', message: 'must be number' }]],
    ['NaN itself (strict numbers)', 'RewardRequest', { decisionId, reward: Number.NaN }, [{ path: 'reward', message: 'must be number' }]],
    ['Infinity', 'RewardRequest', { decisionId, reward: Number.POSITIVE_INFINITY }, [{ path: 'reward', message: 'must be number' }]],
    ['a malformed uuid', 'RewardRequest', { decisionId: 'abc', reward: 1 }, [{ path: 'decisionId', message: 'must match format "uuid"' }]],
    ['a missing property', 'RewardRequest', { decisionId }, [{ path: 'reward', message: 'is required' }]],
    ['an extra property', 'RewardRequest', { decisionId, reward: 1, rewrd: 1 }, [{ path: 'rewrd', message: 'is not allowed' }]],
    ['a body that is not an object', 'RewardRequest', [1], [{ message: 'must be object' }]],
    ['no body at all', 'RewardRequest', undefined, [{ message: 'must be object' }]],
    [
      'a nested context value of the wrong type',
      'ChooseRequest',
      { surface: 'home', context: { device: { os: 'ios' } } },
      [{ path: 'context.device', message: 'must be number or boolean or string' }],
    ],
    [
      'a context key that is not an identifier',
      'ChooseRequest',
      { surface: 'home', context: { 'a.b': null } },
      [{ path: 'context["a.b"]', message: 'must be number or boolean or string' }],
    ],
    [
      'a bad arm id among the candidates',
      'ChooseRequest',
      { surface: 'home', context: {}, candidates: ['album:a', 'no spaces'] },
      [{ path: 'candidates[1]', message: 'must match pattern "^[a-zA-Z0-9_.:-]{1,100}$"' }],
    ],
    [
      'an empty candidate list',
      'ChooseRequest',
      { surface: 'home', context: {}, candidates: [] },
      [{ path: 'candidates', message: 'must NOT have fewer than 1 items' }],
    ],
    [
      'an eventId over 200 characters',
      'ChooseRequest',
      { surface: 'home', context: {}, eventId: 'e'.repeat(201) },
      [{ path: 'eventId', message: 'must NOT have more than 200 characters' }],
    ],
  ])('rejects %s, naming the path', (_case, name, value, details) => {
    const error = catchError(() => validateSchema(name as 'RewardRequest' | 'ChooseRequest', value));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', details });
  });

  it('names no path when the value itself is at fault, as for a path parameter', () => {
    expect(schemaViolations('DecisionId', 'abc')).toEqual([{ message: 'must match format "uuid"' }]);
    expect(catchError(() => validateSchema('DecisionId', 'abc'))).toHaveProperty(
      'message',
      'Invalid DecisionId: must match format "uuid"',
    );
  });

  it('reports every violation at once', () => {
    expect(schemaViolations('ChooseRequest', { surface: 'Home', context: [], defer: 'yes' })).toEqual([
      { path: 'surface', message: 'must match pattern "^[a-z][a-z0-9-]{0,62}$"' },
      { path: 'context', message: 'must be object' },
      { path: 'defer', message: 'must be boolean' },
    ]);
  });

  it('summarises the first violation in the message', () => {
    expect(catchError(() => validateSchema('RewardRequest', { decisionId, reward: 'x', extra: 1 }))).toHaveProperty(
      'message',
      'Invalid RewardRequest: extra: is not allowed (and 1 more)',
    );
  });

  it('reports only the branch a oneOf tag selects, not every branch', () => {
    const policyArm = (learner: unknown) => ({ id: 'p', share: 1, learner });
    expect(schemaViolations('PolicyArmConfig', policyArm({ kind: 'linucb', alpha: -1, draws: 10 }))).toEqual([
      { path: 'learner.draws', message: 'is not allowed' },
      { path: 'learner.alpha', message: 'must be >= 0' },
    ]);
    expect(schemaViolations('PolicyArmConfig', policyArm({ kind: 'ucb' }))).toEqual([
      { path: 'learner.kind', message: 'must be one of: thompson, lints, linucb, uniform' },
    ]);
    expect(schemaViolations('PolicyArmConfig', policyArm('linucb'))).toEqual([{ path: 'learner', message: 'must be object' }]);
  });
});

describe('validateBody', () => {
  const app = express();
  app.use(express.json());
  app.post('/reward', validateBody('RewardRequest'), (req, res) => {
    res.json({ ok: true, body: req.body as unknown });
  });
  app.use(errorHandler());

  it('lets a valid body through', async () => {
    const response = await request(app).post('/reward').send({ decisionId, reward: 0.5 });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, body: { decisionId, reward: 0.5 } });
  });

  it('answers 400 invalid_request with the offending paths', async () => {
    const response = await request(app).post('/reward').send({ decisionId, reward: 'NaN', bonus: 1 });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: 'invalid_request',
        message: 'Invalid RewardRequest: bonus: is not allowed (and 1 more)',
        details: [
          { path: 'bonus', message: 'is not allowed' },
          { path: 'reward', message: 'must be number' },
        ],
      },
    });
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
