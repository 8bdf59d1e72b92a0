/** The constant answer of the bare servers in `npm run bench:http`: a `/choose` answer's size, without the probabilities. */
export const CONSTANT_ANSWER = {
  decisionId: '019ac0d2-0000-7000-8000-000000000000',
  arm: 'podcast:morning-briefing',
  propensity: 0.8714,
  policy: 'linucb',
  modelVersion: 0,
  configVersion: 'c4650048816ddfac',
  deferred: false,
  replayed: false,
};
