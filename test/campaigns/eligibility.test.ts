import { describe, expect, it } from 'vitest';
import type { ArmConfig, CampaignArm, IneligibleReason } from '../../src/campaigns/campaign-arm.js';
import { InMemoryCampaignCounters } from '../../src/campaigns/in-memory-campaign-counters.js';
import { resolveEligibility, type ArmCounters, type EligibilityInput } from '../../src/campaigns/eligibility.js';
import { seededRandom } from '../../src/stats/random.js';
import { testClock } from '../helpers/test-service.js';

const NOW = new Date('2026-12-02T12:00:00Z');
const served = (config: Omit<ArmConfig, 'kind'>, paused = false): CampaignArm => ({ config: { kind: 'campaign', ...config }, source: 'file', paused });
const counters = (values: Partial<ArmCounters>): ArmCounters => ({ totalSpent: 0, dailySpent: 0, capCount: 0, pacing: 1, ...values });

function eligibility(arms: CampaignArm[], overrides: Partial<EligibilityInput> = {}) {
  return resolveEligibility({
    arms,
    context: { device: 'ios', premium: true },
    defaults: new Map([['country_tier', 'tier2']]),
    unit: 'listener-1',
    now: NOW,
    counters: new Map(),
    random: () => 0.5,
    ...overrides,
  });
}

describe('resolveEligibility', () => {
  it.each<[string, Omit<ArmConfig, 'kind' | 'id'>, IneligibleReason]>([
    ['before its start', { start: '2026-12-03T00:00:00Z' }, 'not_started'],
    ['at its end (exclusive)', { end: NOW.toISOString() }, 'ended'],
    ['outside a targeting list', { campaign: { targeting: [{ feature: 'device', in: ['android', 'web'] }] } }, 'targeting'],
    ['unequal to a targeted value', { campaign: { targeting: [{ feature: 'premium', equals: false }] } }, 'targeting'],
    ['missing a targeted feature that has no default', { campaign: { targeting: [{ feature: 'hour_of_day', equals: 8 }] } }, 'targeting'],
    ['capped, for a request without unit', { campaign: { frequencyCap: { impressions: 3, periodSeconds: 60 } } }, 'no_unit'],
  ])('excludes an arm %s', (_, config, reason) => {
    const unit = reason === 'no_unit' ? null : 'listener-1';
    expect(eligibility([served({ id: 'x', ...config }), served({ id: 'y' })], { unit })).toEqual({ eligible: ['y'], ineligible: { x: reason } });
  });

  it('keeps an arm at its start (inclusive), on target, and targeted through a feature default', () => {
    const arm = served({
      id: 'x',
      start: NOW.toISOString(),
      campaign: { targeting: [{ feature: 'device', in: ['ios'] }, { feature: 'premium', equals: true }, { feature: 'country_tier', equals: 'tier2' }] },
    });
    expect(eligibility([arm])).toEqual({ eligible: ['x'], ineligible: {} });
  });

  it('excludes a paused arm, and names the first rule broken (flight before pause)', () => {
    expect(eligibility([served({ id: 'x' }, true)]).ineligible).toEqual({ x: 'paused' });
    expect(eligibility([served({ id: 'x', end: '2026-12-01T00:00:00Z' }, true)]).ineligible).toEqual({ x: 'ended' });
  });

  it.each([
    ['its frequency cap', { frequencyCap: { impressions: 2, periodSeconds: 3600 } }, { capCount: 2 }, 'frequency_cap'],
    ['its total budget', { budget: { total: 10, daily: 5 } }, { totalSpent: 10, dailySpent: 0 }, 'budget_total'],
    ['its daily budget', { budget: { total: 10, daily: 5 } }, { totalSpent: 7, dailySpent: 5 }, 'budget_daily'],
  ] as const)('excludes an arm that reached %s, and keeps it one impression below', (_, campaign, spent, reason) => {
    const arms = [served({ id: 'x', campaign })];
    expect(eligibility(arms, { counters: new Map([['x', counters(spent)]]) }).ineligible).toEqual({ x: reason });
    const below = Object.fromEntries(Object.entries(spent).map(([key, value]) => [key, value - 1]));
    expect(eligibility(arms, { counters: new Map([['x', counters(below)]]) }).eligible).toEqual(['x']);
  });

  it('draws once per paced arm that passed every other rule, from the decision generator, eligible when u < p', () => {
    const paced = (id: string, extra: Partial<ArmConfig> = {}) => served({ id, ...extra, campaign: { budget: { daily: 100 }, pacing: true } });
    const draws = [0.3, 0.7];
    let calls = 0;
    const random = () => draws[calls++]!;
    const result = eligibility([paced('a'), paced('b'), paced('gone', { end: '2026-12-01T00:00:00Z' }), served({ id: 'plain' })], {
      counters: new Map([
        ['a', counters({ pacing: 0.5 })],
        ['b', counters({ pacing: 0.5 })],
      ]),
      random,
    });
    expect(result).toEqual({ eligible: ['a', 'plain'], ineligible: { b: 'pacing', gone: 'ended' } });
    expect(calls).toBe(2);
    // The same seed gives the same pacing outcomes: the draw replays.
    const replay = (seed: string) =>
      eligibility([paced('a')], { counters: new Map([['a', counters({ pacing: 0.5 })]]), random: seededRandom(seed) }).eligible;
    expect(replay('s:1')).toEqual(replay('s:1'));
  });

  it('draws nothing on a surface without paced arms, so existing decisions replay unchanged', () => {
    let calls = 0;
    eligibility([served({ id: 'x', campaign: { budget: { total: 3 } } }), served({ id: 'y' })], { random: () => (calls++, 0.5) });
    expect(calls).toBe(0);
  });
});

describe('InMemoryCampaignCounters', () => {
  const impression = { surface: 's', arm: 'x', day: '2026-12-02', unit: 'u1' };

  it('reserves up to each limit and refuses the next, naming the limit', async () => {
    const store = new InMemoryCampaignCounters(() => NOW);
    const limits = { ...impression, totalBudget: 5, dailyBudget: 3, cap: { impressions: 2, periodSeconds: 60 } };
    expect(await store.reserve(limits)).toBe('reserved');
    expect(await store.reserve(limits)).toBe('reserved');
    expect(await store.reserve(limits)).toBe('frequency_cap');
    expect(await store.reserve({ ...limits, unit: 'u2' })).toBe('reserved');
    expect(await store.reserve({ ...limits, unit: 'u3' })).toBe('budget_daily');
    expect(await store.reserve({ ...limits, unit: 'u3', day: '2026-12-03' })).toBe('reserved');
    expect(await store.reserve({ ...limits, unit: 'u4', day: '2026-12-03' })).toBe('reserved');
    expect(await store.reserve({ ...limits, unit: 'u5', day: '2026-12-03' })).toBe('budget_total');
    expect(await store.read([{ ...impression, unit: 'u1' }])).toEqual([{ totalSpent: 5, dailySpent: 3, capCount: 2, pacing: 1 }]);
  });

  it('opens a frequency-cap window at the first impression and forgets it when it expires', async () => {
    const clock = testClock(NOW.toISOString());
    const store = new InMemoryCampaignCounters(clock.now);
    const capped = { ...impression, cap: { impressions: 1, periodSeconds: 60 } };
    expect(await store.reserve(capped)).toBe('reserved');
    clock.advance(59_999);
    expect(await store.reserve(capped)).toBe('frequency_cap');
    clock.advance(1);
    expect(await store.reserve(capped)).toBe('reserved');
  });

  it('counts an activated impression whatever the limits, and seeds only missing counters', async () => {
    const store = new InMemoryCampaignCounters(() => NOW);
    await store.seed('s', 'x', '2026-12-02', 9, 4);
    await store.seed('s', 'x', '2026-12-02', 0, 0);
    await store.count({ ...impression, totalBudget: 9 });
    expect(await store.read([{ ...impression, unit: null }])).toEqual([{ totalSpent: 10, dailySpent: 5, capCount: 0, pacing: 1 }]);
  });
});
