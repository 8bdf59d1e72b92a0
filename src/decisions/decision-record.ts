import type { LearnerKind } from '../learners/learner-config.js';

/** Where a decision's reward came from: reported by the client, or the surface default at the deadline. */
export type RewardSource = 'observed' | 'default';

/** One row of the decision log. */
export interface DecisionRecord {
  /** UUIDv7 whose millisecond timestamp is `decidedAt` (see `createDecisionId`). */
  id: string;
  decidedAt: Date;
  surface: string;
  policyArm: string;
  learner: LearnerKind;
  configVersion: string;
  /** Which learner statistics the decision used… */
  modelKey: string;
  /** …and their version when it was made. */
  modelVersion: number;
  unit: string | null;
  /** Client-supplied idempotency key, unique per surface. */
  eventId: string | null;
  /** The context as received. */
  context: Record<string, unknown>;
  /** The eligible set: the arms the distribution was computed over. */
  candidates: string[];
  /** Arm id → why it was not eligible (campaign rules; see `src/campaigns/eligibility.ts`). */
  ineligible: Record<string, string>;
  /** Arm id → probability of being chosen: the whole distribution the arm was drawn from. */
  probabilities: Record<string, number>;
  arm: string;
  /** Probability of the chosen arm, in (0, 1]. */
  propensity: number;
  seed: string;
  /** A deferred decision is only learned from (and defaulted) once activated. */
  deferred: boolean;
  activatedAt: Date | null;
  /** End of the reward window: later rewards are refused, and the surface default applies. */
  rewardBy: Date;
  reward: number | null;
  rewardSource: RewardSource | null;
  rewardedAt: Date | null;
  learnedAt: Date | null;
}

/** A decision as logged when made: nothing has happened to it yet. */
export type NewDecision = Omit<DecisionRecord, 'activatedAt' | 'reward' | 'rewardSource' | 'rewardedAt' | 'learnedAt'>;
