import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChooseResponse } from '../../src/api/api-types.js';
import type { CampaignArm } from '../../src/campaigns/campaign-arm.js';
import { resolveEligibility } from '../../src/campaigns/eligibility.js';
import { evaluate } from '../../src/evaluation/evaluate.js';
import type { EvaluationRound } from '../../src/evaluation/evaluation-types.js';
import { sampleIndex } from '../../src/learners/sample-index.js';
import { chiSquareGoodnessOfFit } from '../../src/stats/chi-square.js';
import { seededRandom } from '../../src/stats/random.js';
import { startTestService, testClock, type TestService } from '../helpers/test-service.js';
import { campaignPolicies } from './campaign-policies.js';

const DECISIONS = 1_500;
const PACING = 0.4;

// The random bits of decision ids, from which every draw of a decision is seeded, come from a generator
// seeded here, so every run draws the same seeds (same p-values, run after run): with seeds of its own,
// each run could fail a correct service with probability up to 0.008 (see below), and one CI run did.
vi.mock('node:crypto', async (importOriginal) => (await import('../helpers/seeded-crypto.js')).seededCrypto(await importOriginal(), 'honest-propensities'));

/**
 * With eligibility and pacing, the logged propensity is still the probability with which the service
 * chose, given the context and the logged eligible set: over 1,500 decisions through HTTP with a paced
 * campaign (p = 0.4), a targeted one, a capped one and a budget that runs out mid-run. Pearson's test per
 * eligible set compares the chosen arms with Σᵢ πᵢ(k), and a two-cell test compares how often the paced
 * arm was eligible with p. For seeds drawn at random, each test would fail a correct service with
 * probability at most 0.001, the whole check (at most 8 tests) with probability at most 0.008; the seeds
 * are fixed by the mock above, so a failure here is the service's, not a run's bad luck.
 */
describe('logged propensities with eligibility and pacing', () => {
  const clock = testClock('2026-12-02T12:00:00.000Z');
  let policiesDir: string;
  let service: TestService;
  let responses: ChooseResponse[];

  beforeAll(async () => {
    policiesDir = await campaignPolicies(await mkdtemp(join(tmpdir(), 'limelight-honest-')));
    service = await startTestService({ backend: 'embedded', policiesDir, now: clock.now });
    await service.campaigns.catalog.add('promo', { id: 'campaign:paced', kind: 'campaign', campaign: { budget: { daily: 100_000 }, pacing: true } });
    await service.campaigns.counters.writePacing('promo', 'campaign:paced', { probability: PACING, spent: 0, at: clock.now().getTime() });
    responses = [];
    for (let batch = 0; batch < DECISIONS / 50; batch++) {
      responses.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, async () => {
            const response = await request(service.url).post('/choose').set(service.authHeaders).send({ surface: 'promo', context: { device: 'ios' } }).expect(200);
            return response.body as ChooseResponse;
          }),
        )),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await service.close();
    await rm(policiesDir, { recursive: true, force: true });
  });

  it('makes the paced arm eligible with its pacing probability', () => {
    const eligible = responses.filter((response) => 'campaign:paced' in response.probabilities).length;
    const { pValue } = chiSquareGoodnessOfFit([eligible, DECISIONS - eligible], [PACING * DECISIONS, (1 - PACING) * DECISIONS]);
    expect(pValue).toBeGreaterThan(0.001);
  });

  it('chooses each arm of an eligible set with the logged propensity', () => {
    const groups = new Map<string, ChooseResponse[]>();
    for (const response of responses) {
      const key = Object.keys(response.probabilities).sort().join(',');
      groups.set(key, [...(groups.get(key) ?? []), response]);
    }
    expect(groups.size).toBeGreaterThanOrEqual(2);
    for (const [key, group] of groups) {
      if (group.length < 50) continue;
      const arms = key.split(',');
      const observed = arms.map((arm) => group.filter((response) => response.arm === arm).length);
      const expected = arms.map((arm) => group.reduce((sum, response) => sum + response.probabilities[arm]!, 0));
      expect(chiSquareGoodnessOfFit(observed, expected).pValue, key).toBeGreaterThan(0.001);
    }
  });
});

/**
 * Off-policy evaluation on a log made with eligibility and pacing stays unbiased when the propensity is
 * the logging policy's probability over the logged eligible set. Arms: `plain`; `paced` (p = 0.3);
 * `ios` (targets device = ios). Contexts: ios or android, equally likely. Logging: uniform over the
 * eligible set E. Target: `paced` when eligible, else `ios` when eligible, else `plain`. Its true value
 * (enumerating contexts and the pacing draw) is
 *   V = ½·(0.3·μ(ios, paced) + 0.7·μ(ios, ios)) + ½·(0.3·μ(android, paced) + 0.7·μ(android, plain))
 *     = ½·(0.3·0.5 + 0.7·0.6) + ½·(0.3·0.2 + 0.7·0.1) = 0.35.
 * IPS's 99.9 % normal interval over 20 000 rounds must contain it (a correct estimator misses with
 * probability 0.001 per seed); IPS with propensities over all arms, ignoring E, must not.
 */
describe('IPS over a log made with eligibility and pacing', () => {
  const MEANS: Record<string, Record<string, number>> = {
    ios: { plain: 0.3, paced: 0.5, ios: 0.6 },
    android: { plain: 0.1, paced: 0.2, ios: 0 },
  };
  const TRUE_VALUE = 0.5 * (0.3 * 0.5 + 0.7 * 0.6) + 0.5 * (0.3 * 0.2 + 0.7 * 0.1);
  const arms: CampaignArm[] = [
    { config: { id: 'plain', kind: 'music' }, source: 'file', paused: false },
    { config: { id: 'paced', kind: 'campaign', campaign: { budget: { daily: 10 }, pacing: true } }, source: 'file', paused: false },
    { config: { id: 'ios', kind: 'campaign', campaign: { targeting: [{ feature: 'device', equals: 'ios' }] } }, source: 'file', paused: false },
  ];
  const target = (eligible: readonly string[]) => ['paced', 'ios', 'plain'].find((arm) => eligible.includes(arm))!;

  function log(ignoreEligibility: boolean): EvaluationRound[] {
    const world = seededRandom('ope-world');
    return Array.from({ length: 20_000 }, (_, i) => {
      const device = world() < 0.5 ? 'ios' : 'android';
      const random = seededRandom(`ope-decision:${i}`);
      const { eligible } = resolveEligibility({
        arms,
        context: { device },
        defaults: new Map(),
        unit: null,
        now: new Date('2026-12-02T12:00:00Z'),
        counters: new Map([['paced', { totalSpent: 0, dailySpent: 0, capCount: 0, pacing: 0.3 }]]),
        random,
      });
      const arm = eligible[sampleIndex(new Float64Array(eligible.length).fill(1 / eligible.length), random)]!;
      return {
        reward: world() < MEANS[device]![arm]! ? 1 : 0,
        propensity: ignoreEligibility ? 1 / arms.length : 1 / eligible.length,
        targetProbability: target(eligible) === arm ? 1 : 0,
      };
    });
  }

  it('recovers the target value within its interval', () => {
    expect(TRUE_VALUE).toBeCloseTo(0.35, 12);
    const [ips] = evaluate(log(false), { estimators: [{ name: 'ips' }], seed: 'ope', bootstrap: 0, level: 0.999 }).estimates;
    expect(ips!.normalCi[0]).toBeLessThanOrEqual(TRUE_VALUE);
    expect(ips!.normalCi[1]).toBeGreaterThanOrEqual(TRUE_VALUE);
    const [naive] = evaluate(log(true), { estimators: [{ name: 'ips' }], seed: 'ope', bootstrap: 0, level: 0.999 }).estimates;
    expect(naive!.normalCi[0] > TRUE_VALUE || naive!.normalCi[1] < TRUE_VALUE).toBe(true);
  });
});
