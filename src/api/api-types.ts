import type { components } from './openapi-types.js';

/** Request and response shapes of the API, generated from `openapi.yaml`. */
export type ChooseRequest = components['schemas']['ChooseRequest'];
export type ChooseResponse = components['schemas']['ChooseResponse'];
export type RewardRequest = components['schemas']['RewardRequest'];
export type RewardResponse = components['schemas']['RewardResponse'];
export type ActivateResponse = components['schemas']['ActivateResponse'];
export type DecisionView = components['schemas']['Decision'];
export type NoEligibleArmResponse = components['schemas']['NoEligibleArmResponse'];
