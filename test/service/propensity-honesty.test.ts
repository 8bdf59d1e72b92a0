import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChooseResponse, DecisionView } from '../../src/api/api-types.js';
import { createContextEncoder } from '../../src/learners/context-encoder.js';
import { createPolicy } from '../../src/learners/create-policy.js';
import { forgettingStep } from '../../src/model-state/forgetting-step.js';
import type { ModelSnapshot } from '../../src/model-state/model-state-store.js';
import { chiSquareGoodnessOfFit } from '../../src/stats/chi-square.js';
import { seededRandom } from '../../src/stats/random.js';
import { loadSurfaces } from '../../src/surfaces/load-surfaces.js';
import { assignPolicyArm } from '../../src/surfaces/policy-arm-assignment.js';
import type { Surface } from '../../src/surfaces/surface.js';
import { startTestService, testClock, testPolicies, type TestService } from '../helpers/test-service.js';

const ARMS = ['arm-a', 'arm-b', 'arm-c'];
const CONTEXT = { x: 0.5, segment: 'returning' };
const DECISIONS = 3_000;
const CONCURRENCY = 50;

// Decision ids take their random bits, and so every decision its seed, from a generator seeded here.
vi.mock('node:crypto', async (importOriginal) => (await import('../helpers/seeded-crypto.js')).seededCrypto(await importOriginal(), 'propensity-honesty'));

/**
 * The service's logged propensities are the probabilities with which it in fact chose, checked over
 * 3,000 decisions through HTTP for one fixed context on the `test` surface, after it has learned that
 * arm-a pays, so that LinUCB and LinTS put unequal mass on the arms.
 *
 * With no learning between the decisions, every decision of a policy arm comes from the same model
 * state. LinTS reports a Monte Carlo estimate that varies with the decision's seed, so the expected
 * count of arm k is Σᵢ πᵢ(k) over the policy arm's decisions (as in chi-square-draws.test.ts); Pearson's
 * test against it is conservative. Seeds contain the random bits of the decision id, which the mock
 * above draws from a seeded generator, so every run draws the same seeds; for seeds drawn at random a
 * correct service would fail one policy arm's test (p ≤ 0.001) with probability at most 0.001, and a
 * run on one backend with probability at most 0.003.
 */
// Embedded only: the Postgres backend runs the same decision code, and the api tests cover its round trips.
describe.each(['embedded'] as const)('logged propensities on the %s backend', (backend) => {
  const clock = testClock('2026-06-01T12:00:00.000Z');
  let policiesDir: string;
  let service: TestService;
  let surface: Surface;
  /** The model state every measured decision of a policy arm was made from. */
  const snapshots = new Map<string, ModelSnapshot>();
  let priorVersions: Map<string, number>;
  let training: ChooseResponse[];
  let decisions: ChooseResponse[];

  const choose = async (): Promise<ChooseResponse> =>
    (await request(service.url).post('/choose').set(service.authHeaders).send({ surface: 'test', context: CONTEXT }).expect(200)).body as ChooseResponse;

  beforeAll(async () => {
    policiesDir = await testPolicies(await mkdtemp(join(tmpdir(), 'limelight-propensity-')));
    surface = (await loadSurfaces(policiesDir)).get('test')!;
    service = await startTestService({ backend, policiesDir, now: clock.now });
    priorVersions = new Map(surface.config.policyArms.map(({ id }) => [id, service.models.get('test', id).version]));
    training = await Promise.all(Array.from({ length: 120 }, choose));
    for (const { decisionId, arm } of training) {
      await request(service.url).post('/reward').set(service.authHeaders).send({ decisionId, reward: arm === 'arm-a' ? 1 : 0 }).expect(200);
    }
    await service.models.refresh();
    for (const { id } of surface.config.policyArms) {
      const model = service.models.get('test', id);
      snapshots.set(id, await service.modelStore.read(model.key, model.policy.learner.statisticsLength));
    }
    decisions = [];
    while (decisions.length < DECISIONS) decisions.push(...(await Promise.all(Array.from({ length: CONCURRENCY }, choose))));
  });
  afterAll(async () => {
    await service?.close();
    await rm(policiesDir, { recursive: true, force: true });
  });

  it('made every measured decision from the model state after training', () => {
    for (const decision of decisions) expect(decision.modelVersion).toBe(snapshots.get(decision.policy)!.version);
    // LinUCB's distribution is deterministic given its state: one vector, far from uniform.
    const linUcbVectors = new Set(decisions.filter((d) => d.policy === 'linucb').map((d) => JSON.stringify(d.probabilities)));
    expect(linUcbVectors.size).toBe(1);
    const [vector] = [...linUcbVectors].map((text) => JSON.parse(text) as Record<string, number>);
    expect(vector!['arm-a']).toBeCloseTo(0.9 + 0.1 / 3, 12);
  });

  it.each(['linucb', 'lints', 'control'])('draws the arms of %s with the logged probabilities (chi-square p > 0.001)', (policy) => {
    const mine = decisions.filter((decision) => decision.policy === policy);
    const observed = ARMS.map((arm) => mine.filter((decision) => decision.arm === arm).length);
    const expected = ARMS.map((arm) => mine.reduce((sum, decision) => sum + decision.probabilities[arm]!, 0));
    expect(Math.min(...expected)).toBeGreaterThan(20);
    expect(chiSquareGoodnessOfFit(observed, expected).pValue).toBeGreaterThan(0.001);
  });

  /** Recomputes a logged decision from its seed and the model state at its version: must agree bit for bit. */
  function replay(logged: DecisionView, state: ModelSnapshot | undefined): void {
    const policyArm = surface.config.policyArms.find((candidate) => candidate.id === logged.policy)!;
    const encoder = createContextEncoder(surface.config.features);
    const policy = createPolicy(policyArm.learner, encoder.dimension);
    for (const [arm, statistics] of state?.arms ?? []) policy.learner.load(arm, statistics);
    policy.learner.advanceTo(forgettingStep(new Date(logged.decidedAt)));
    const random = seededRandom(logged.seed);
    // The decision's stream first assigns the policy arm, then feeds the learner and the draw.
    expect(assignPolicyArm(surface, logged.unit ?? null, random).id).toBe(logged.policy);
    const { probabilities, chosen } = policy.decide(encoder.encode(logged.context), logged.candidates, random);
    expect(Object.fromEntries(logged.candidates.map((arm, k) => [arm, probabilities[k]]))).toStrictEqual(logged.probabilities);
    expect(logged.candidates[chosen]).toBe(logged.arm);
  }

  const fetchDecision = async (id: string) => (await request(service.url).get(`/decisions/${id}`).set(service.authHeaders).expect(200)).body as DecisionView;

  it('replays decisions made from the prior bit for bit', async () => {
    for (const { decisionId } of training.slice(0, 30)) {
      const logged = await fetchDecision(decisionId);
      expect(logged.modelVersion).toBe(priorVersions.get(logged.policy));
      replay(logged, undefined);
    }
  });

  it('replays decisions made from learned state bit for bit', async () => {
    for (const policy of ['linucb', 'lints', 'control']) {
      for (const { decisionId } of decisions.filter((decision) => decision.policy === policy).slice(0, 15)) {
        const logged = await fetchDecision(decisionId);
        expect(logged.modelVersion).toBe(snapshots.get(policy)!.version);
        replay(logged, snapshots.get(policy));
      }
    }
  });
});
