import { createDecisionId } from '../../src/decisions/decision-id.js';
import type { NewDecision } from '../../src/decisions/decision-record.js';

const HOUR_MS = 3_600_000;

/** A valid decision made at `decidedAt` (default 2030-01-10 12:00Z) with a one-hour reward window. */
export function newDecision(overrides: Partial<NewDecision> = {}): NewDecision {
  const decidedAt = overrides.decidedAt ?? new Date('2030-01-10T12:00:00.000Z');
  return {
    id: createDecisionId(decidedAt),
    decidedAt,
    surface: 'homepage',
    policyArm: 'thompson-a',
    learner: 'thompson',
    configVersion: 'v1',
    modelKey: 'homepage/thompson-a',
    modelVersion: 7,
    unit: 'user-1',
    eventId: null,
    context: { country: 'NL', visits: 3 },
    candidates: ['a', 'b', 'c'],
    ineligible: {},
    probabilities: { a: 0.1, b: 0.2, c: 0.7000000000000001 },
    arm: 'c',
    propensity: 0.7000000000000001,
    seed: 'seed-1',
    deferred: false,
    rewardBy: new Date(decidedAt.getTime() + HOUR_MS),
    ...overrides,
  };
}
