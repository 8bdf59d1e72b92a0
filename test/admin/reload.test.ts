import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChooseResponse } from '../../src/api/api-types.js';
import { schemaViolations } from '../../src/api/schema-validator.js';
import { serviceBackends, startTestService, testClock, testPolicies, type TestService } from '../helpers/test-service.js';

/** `test.yaml` as `testPolicies` writes it, with other arms and policy arms. */
function surfaceFile(arms: string, policyArms: string): string {
  return `id: test
name: Test surface
randomization: request
arms:
${arms}
features:
  - { name: x, type: numeric }
  - { name: segment, type: categorical, levels: [new, returning], default: new }
reward:
  type: binary
  attributionWindowSeconds: 60
  default: 0
policyArms:
${policyArms}
`;
}

const ARMS = `  - { id: arm-a, kind: music }
  - { id: arm-b, kind: podcast }
  - { id: arm-c, kind: video }`;
const CONTEXT = { x: 0.3 };

describe.each(serviceBackends())('POST /admin/reload on the %s backend', (backend) => {
  let policiesDir: string;
  let service: TestService;
  beforeAll(async () => {
    policiesDir = await testPolicies(await mkdtemp(join(tmpdir(), 'limelight-reload-')));
    service = await startTestService({ backend, policiesDir, now: testClock('2026-06-01T12:00:00.000Z').now });
  });
  afterAll(async () => {
    await service?.close();
    await rm(policiesDir, { recursive: true, force: true });
  });

  const choose = async (context: object = CONTEXT): Promise<ChooseResponse> =>
    (await request(service.url).post('/choose').set(service.authHeaders).send({ surface: 'test', context }).expect(200)).body as ChooseResponse;
  /** The next decision of `policy`; at share s, 100 tries all miss with probability (1 − s)¹⁰⁰ (< 1e-9 for s ≥ 0.2). */
  async function chooseWith(policy: string): Promise<ChooseResponse> {
    for (let i = 0; i < 100; i++) {
      const response = await choose();
      if (response.policy === policy) return response;
    }
    throw new Error(`no decision of policy arm "${policy}" in 100 tries`);
  }
  const reload = (headers: Record<string, string> = service.authHeaders) => request(service.url).post('/admin/reload').set(headers);
  const surfaceView = async () => (await request(service.url).get('/surfaces/test').set(service.authHeaders).expect(200)).body;

  it('retunes ε and the shares, keeping what each model learned', async () => {
    // Teach the models that arm-a pays, so LinUCB's distribution is not the prior's even split.
    for (let i = 0; i < 60; i++) {
      const decision = await choose({ x: i / 60 });
      await request(service.url).post('/reward').set(service.authHeaders).send({ decisionId: decision.decisionId, reward: decision.arm === 'arm-a' ? 1 : 0 }).expect(200);
    }
    await service.models.refresh();
    const before = await chooseWith('linucb');
    const learned = service.models.get('test', 'linucb');
    expect(learned.version).toBeGreaterThan(0);
    expect(Math.max(...Object.values(before.probabilities))).toBeGreaterThan(0.5);
    const { configVersion, featureSchemaVersion } = await surfaceView();

    await writeFile(
      join(policiesDir, 'test.yaml'),
      surfaceFile(
        ARMS,
        `  - { id: linucb, share: 0.8, learner: { kind: linucb, alpha: 0.5, epsilon: 0.6 } }
  - { id: lints, share: 0.1, learner: { kind: lints, v: 0.25, epsilon: 0.1, draws: 200 } }
  - { id: control, share: 0.1, learner: { kind: uniform } }`,
      ),
    );
    const response = await reload().expect(200);
    expect(schemaViolations('ReloadResponse', response.body)).toEqual([]);
    expect(response.body.changed).toEqual(['test']);
    const [reloaded] = response.body.surfaces as Array<{ id: string; configVersion: string; featureSchemaVersion: string }>;
    expect(reloaded).toMatchObject({ id: 'test', featureSchemaVersion });
    expect(reloaded!.configVersion).not.toBe(configVersion);
    expect(await surfaceView()).toMatchObject({ configVersion: reloaded!.configVersion, featureSchemaVersion });

    const model = service.models.get('test', 'linucb');
    expect(model.key).toBe(learned.key);
    expect(model.version).toBe(learned.version);
    expect(model.policy.epsilon).toBe(0.6);
    for (const arm of learned.policy.learner.arms()) expect(model.policy.learner.statistics(arm)).toEqual(learned.policy.learner.statistics(arm));

    // Same statistics, so the same LinUCB distribution π over K = 3 arms, under the new floor:
    // p_old = 0.9·π + 0.1/3, so p_new = 0.4·π + 0.6/3 = 0.4·(p_old − 0.1/3)/0.9 + 0.2.
    const after = await chooseWith('linucb');
    expect(after.modelVersion).toBe(before.modelVersion);
    expect(after.configVersion).toBe(reloaded!.configVersion);
    for (const [arm, p] of Object.entries(before.probabilities)) {
      expect(after.probabilities[arm]).toBeCloseTo((0.4 * (p - 0.1 / 3)) / 0.9 + 0.2, 12);
    }
    // The split follows the new shares: linucb gets Binomial(400, 0.8) decisions (mean 320, sd 8), and
    // 280 is 5 sd below the mean (false failure < 1e-6); at the old share 0.5 it would get about 200.
    let linucb = 0;
    for (let i = 0; i < 400; i++) if ((await choose()).policy === 'linucb') linucb++;
    expect(linucb).toBeGreaterThan(280);
  });

  it('serves a new policy arm and a new arm, drops a removed policy arm, and keeps the unchanged models', async () => {
    const linucb = service.models.get('test', 'linucb');
    await writeFile(
      join(policiesDir, 'test.yaml'),
      surfaceFile(
        `${ARMS}\n  - { id: arm-d, kind: audiobook }`,
        `  - { id: linucb, share: 0.4, learner: { kind: linucb, alpha: 0.5, epsilon: 0.6 } }
  - { id: fresh, share: 0.4, learner: { kind: thompson, draws: 500 } }
  - { id: control, share: 0.2, learner: { kind: uniform } }`,
      ),
    );
    const response = await reload().expect(200);
    expect(response.body.changed).toEqual(['test']);
    expect(service.models.all().filter((model) => model.surface.config.id === 'test').map((model) => model.policyArmId)).toEqual(['linucb', 'fresh', 'control']);
    expect(service.models.get('test', 'linucb')).toMatchObject({ key: linucb.key, version: linucb.version });

    const fresh = await chooseWith('fresh');
    expect(fresh.modelVersion).toBe(0);
    expect(Object.keys(fresh.probabilities).sort()).toEqual(['arm-a', 'arm-b', 'arm-c', 'arm-d']);
    expect((await surfaceView()).config.policyArms.map((policyArm: { id: string }) => policyArm.id)).toEqual(['linucb', 'fresh', 'control']);
    // A reload of unchanged files changes nothing.
    expect((await reload().expect(200)).body.changed).toEqual([]);
  });

  it('refuses a broken file with 400 naming file and field, and keeps serving the running config', async () => {
    const { configVersion } = await surfaceView();
    const models = service.models.all();
    await writeFile(
      join(policiesDir, 'test.yaml'),
      surfaceFile(
        ARMS,
        `  - { id: linucb, share: 0.5, learner: { kind: linucb } }
  - { id: control, share: 0.45, learner: { kind: uniform } }`,
      ),
    );
    const response = await reload().expect(400);
    expect(schemaViolations('Error', response.body)).toEqual([]);
    expect(response.body.error.code).toBe('invalid_surface_config');
    expect(response.body.error.details).toEqual([{ path: 'policyArms[1].share', message: 'test.yaml: policyArms[1].share: shares must sum to 1 (got 0.95)' }]);
    expect(JSON.stringify(response.body)).not.toContain(policiesDir);

    expect((await surfaceView()).configVersion).toBe(configVersion);
    expect(service.models.all().every((model, i) => model === models[i])).toBe(true);
    const decision = await chooseWith('fresh');
    expect(decision.configVersion).toBe(configVersion);
    expect(Object.keys(decision.probabilities)).toContain('arm-d');
  });

  it('needs the admin scope: 401 without a key, 403 with a decide key', async () => {
    const created = await request(service.url).post('/admin/keys').set(service.authHeaders).send({ name: 'decider', scopes: ['decide'] }).expect(201);
    const forbidden = await reload({ authorization: `Bearer ${created.body.key as string}` }).expect(403);
    expect(forbidden.body.error.code).toBe('forbidden');
    const anonymous = await request(service.url).post('/admin/reload').expect(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
  });
});
