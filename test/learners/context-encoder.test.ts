import { describe, expect, it } from 'vitest';
import { ContextError, createContextEncoder } from '../../src/learners/context-encoder.js';
import type { FeatureSpec } from '../../src/learners/feature-spec.js';

const features: FeatureSpec[] = [
  { name: 'hour_of_day', type: 'numeric', standardize: { mean: 12, std: 6 } },
  { name: 'minutes', type: 'numeric', default: 0 },
  { name: 'premium', type: 'boolean', default: false },
  { name: 'device', type: 'categorical', levels: ['ios', 'android', 'web'] },
];
const encoder = createContextEncoder(features);

describe('createContextEncoder', () => {
  it('lays out intercept, numeric, boolean and one-hot coordinates', () => {
    expect(encoder.coordinates).toEqual(['intercept', 'hour_of_day', 'minutes', 'premium', 'device=ios', 'device=android', 'device=web']);
    expect(encoder.dimension).toBe(7);
  });

  it('standardises, fills defaults and one-hot encodes', () => {
    const x = encoder.encode({ hour_of_day: 18, premium: true, device: 'android' });
    expect([...x]).toEqual([1, 1, 0, 1, 0, 1, 0]);
  });

  it('encodes an undeclared categorical level as zeros for that feature', () => {
    expect([...encoder.encode({ hour_of_day: 12, device: 'tv' })]).toEqual([1, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses a value that overflows when standardised', () => {
    const tiny = createContextEncoder([{ name: 'score', type: 'numeric', standardize: { mean: 0, std: 1e-300 } }]);
    expect(() => tiny.encode({ score: 1e10 })).toThrow('context feature "score" must be within ±1000000 once standardised, got 10000000000');
  });

  // Found by test/auth/hostile-requests.test.ts: 1e308 was logged and, once rewarded, x xᵀ made the model infinite.
  it.each([
    [1e308, 'context feature "minutes" must be within ±1000000, got 1e+308'],
    [-(2 ** 53 + 1), 'context feature "minutes" must be within ±1000000, got -9007199254740992'],
    [1_000_000.5, 'context feature "minutes" must be within ±1000000, got 1000000.5'],
  ])('refuses a numeric value of %d, whose square would swamp or overflow the statistics', (value, message) => {
    expect(() => encoder.encode({ hour_of_day: 12, minutes: value, device: 'ios' })).toThrow(message);
    expect(encoder.encode({ hour_of_day: 12, minutes: -1_000_000, device: 'ios' })[2]).toBe(-1_000_000);
  });

  it.each([
    [{ device: 'ios' }, 'hour_of_day', 'context feature "hour_of_day" is missing and has no default'],
    [{ hour_of_day: '12', device: 'ios' }, 'hour_of_day', 'context feature "hour_of_day" must be a number, got string'],
    [{ hour_of_day: Number.NaN, device: 'ios' }, 'hour_of_day', 'context feature "hour_of_day" must be a finite number, got NaN'],
    [{ hour_of_day: Infinity, device: 'ios' }, 'hour_of_day', 'context feature "hour_of_day" must be a finite number, got Infinity'],
    [{ hour_of_day: 1, premium: 1, device: 'ios' }, 'premium', 'context feature "premium" must be a boolean, got number'],
    [{ hour_of_day: 1, device: ['ios'] }, 'device', 'context feature "device" must be a string, got array'],
    [{ hour_of_day: 1, device: null }, 'device', 'context feature "device" is missing and has no default'],
    [{ hour_of_day: 1, device: 'ios', country: 'se' }, 'country', 'context feature "country" is not declared by the surface'],
  ])('refuses %j naming the feature', (context, feature, message) => {
    let caught: unknown;
    try {
      encoder.encode(context);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContextError);
    expect((caught as ContextError).feature).toBe(feature);
    expect((caught as ContextError).message).toBe(message);
  });
});
