import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChooseResponse } from '../../src/api/api-types.js';
import { evaluateLog } from '../../src/evaluation/evaluate-log.js';
import { readDecisionLog } from '../../src/evaluation/inputs/read-decision-log.js';
import type { SourceRound } from '../../src/evaluation/inputs/round-source.js';
import { loadPolicyFile } from '../../src/evaluation/targets/load-policy-targets.js';
import { createPolicyTarget, type PolicyTargetMode } from '../../src/evaluation/targets/policy-target.js';
import { SyntheticListeners } from '../../src/simulation/synthetic-listeners.js';
import { buildSurface } from '../../src/surfaces/surface.js';
import { requirePostgres } from '../helpers/test-database.js';
import { startTestService, testClock, type ServiceBackend, type TestService } from '../helpers/test-service.js';

/** A uniform control and LinUCB, half the requests each; three arms and two features. */
const SURFACE = `id: ope
name: Offline evaluation test surface
randomization: request
arms:
  - { id: arm-a, kind: music }
  - { id: arm-b, kind: podcast }
  - { id: arm-c, kind: video }
features:
  - { name: x, type: numeric }
  - { name: segment, type: categorical, levels: [new, returning], default: new }
reward:
  type: binary
  attributionWindowSeconds: 60
  default: 0
policyArms:
  - { id: linucb, share: 0.5, learner: { kind: linucb, alpha: 0.5, epsilon: 0.1 } }
  - { id: control, share: 0.5, learner: { kind: uniform } }
`;
const START = '2026-06-01T00:00:00.000Z';
const DECISIONS = 3_000;
/** Requests in flight at once (the decision log commits in groups); the model is refreshed between batches. */
const BATCH = 25;

// CI=true without DATABASE_URL throws here: there the test must run against Postgres.
const backends: ServiceBackend[] = requirePostgres() ? ['embedded', 'postgres'] : ['embedded'];

describe.each(backends)('offline evaluation of the service\'s own decision log on the %s backend', (backend) => {
  const clock = testClock(START);
  let dir: string;
  let service: TestService;
  let surfaceFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'limelight-ope-service-'));
    surfaceFile = join(dir, 'ope.yaml');
    await writeFile(surfaceFile, SURFACE);
    service = await startTestService({ backend, policiesDir: dir, now: clock.now });
    const listeners = new SyntheticListeners(buildSurface(parseYaml(SURFACE), 'ope.yaml').config, 'ope-service-clicks');
    for (let done = 0; done < DECISIONS; done += BATCH) {
      const contexts = Array.from({ length: BATCH }, () => listeners.context());
      const responses = await Promise.all(
        contexts.map(async (context) => (await request(service.url).post('/choose').set(service.authHeaders).send({ surface: 'ope', context }).expect(200)).body as ChooseResponse),
      );
      // Drawn in order, after the concurrent requests, so the clicks do not depend on their timing.
      const rewards = responses.map((response, k) => listeners.respond(contexts[k]!, response.arm));
      await Promise.all(responses.map((response, k) => request(service.url).post('/reward').set(service.authHeaders).send({ decisionId: response.decisionId, reward: rewards[k] }).expect(200)));
      await service.models.refresh();
      clock.advance(1_000);
    }
  }, 300_000);
  afterAll(async () => {
    await service?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const window = { surface: 'ope', from: new Date(START), to: new Date(Date.parse(START) + 86_400_000) };

  /** Mean reward of a policy arm's first `limit` logged decisions (all by default), in time order, with its standard error. */
  async function onPolicyMean(policyArm: string, limit = Infinity): Promise<{ mean: number; standardError: number; rows: number }> {
    let sum = 0;
    let sumOfSquares = 0;
    let rows = 0;
    for await (const round of readDecisionLog(service.database, { ...window, policyArm }, 500)) {
      if (rows === limit) break;
      sum += round.reward;
      sumOfSquares += round.reward * round.reward;
      rows++;
    }
    const mean = sum / rows;
    const variance = (sumOfSquares - rows * mean * mean) / (rows - 1);
    return { mean, standardError: Math.sqrt(variance / rows), rows };
  }

  /**
   * LinUCB run along the control traffic. The run is not seeded end to end (decision ids, hence the
   * service's draws, are random), and the "truth" — LinUCB's own realised mean reward — is itself a noisy
   * mean. So the check compares two independent estimates of one value: |V̂ − truth| ≤ z·√(SE_V̂² + SE_truth²)
   * with z = 3.29, which a correct estimator fails with probability about 0.001 per check. The truths
   * differ by mode:
   * - ips-online learns from every control round (about as many as LinUCB's own), so its estimate is
   *   compared with LinUCB's on-policy mean over the whole log. It is biased — the offline LinUCB learns
   *   from uniform choices, not its own — which this small surface does not make visible.
   * - replay (Li et al. 2011) is unbiased, under uniform logging, for the policy's mean reward over its
   *   first L rounds, L the number of matched rounds (about a third here): a learning policy replayed on
   *   n logged rounds has lived only L of them. So the truth is LinUCB's mean over its first L decisions.
   */
  it.each<[PolicyTargetMode, 'ips' | 'snips' | 'replay']>([
    ['ips-online', 'ips'],
    ['ips-online', 'snips'],
    ['replay', 'replay'],
  ])('estimates LinUCB from the control traffic (%s, %s) within the combined error of LinUCB\'s own mean reward', async (mode, estimator) => {
    const control = await onPolicyMean('control');
    expect(control.rows).toBeGreaterThan(DECISIONS / 3);
    const { specs } = await loadPolicyFile(surfaceFile, 'linucb');
    const target = createPolicyTarget(specs[0]!, mode, 'ope-service');
    let matched = 0;
    const counting = {
      ...target,
      next: (round: SourceRound) => {
        const distribution = target.next(round);
        if (distribution.probabilities[distribution.actions.indexOf(round.action)] === 1) matched++;
        return distribution;
      },
    };
    const result = await evaluateLog(() => readDecisionLog(service.database, { ...window, policyArm: 'control' }, 500), counting, {
      estimators: [{ name: estimator }],
      bootstrap: 1000,
      seed: 'ope-service',
      level: 0.99,
    });
    expect(result.rows).toBe(control.rows);
    const truth = await onPolicyMean('linucb', mode === 'replay' ? matched : Infinity);
    const [estimate] = result.estimates;
    // Uniform logging over three arms: every π_e is supported, weights are at most 3.
    expect(result.diagnostics.supportDeficiency).toBe(0);
    expect(result.diagnostics.maxWeight).toBeLessThanOrEqual(3 + 1e-9);
    const tolerance = 3.29 * Math.hypot(estimate!.standardError, truth.standardError);
    expect(Math.abs(estimate!.value - truth.mean)).toBeLessThanOrEqual(tolerance);
  });
});
