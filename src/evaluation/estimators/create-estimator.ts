import type { EstimatorName, EstimatorSpec } from '../evaluation-types.js';
import { clippedIps } from './clipped-ips.js';
import { dm } from './dm.js';
import { dr } from './dr.js';
import { dros } from './dros.js';
import type { Estimator } from './estimator.js';
import { ips } from './ips.js';
import { onPolicy } from './on-policy.js';
import { replay } from './replay.js';
import { sndr } from './sndr.js';
import { snips } from './snips.js';
import { switchDr } from './switch-dr.js';

/** Every estimator name, in the order they are documented. */
export const ESTIMATOR_NAMES: readonly EstimatorName[] = [
  'on-policy',
  'ips',
  'snips',
  'clipped-ips',
  'dm',
  'dr',
  'sndr',
  'switch-dr',
  'dros',
  'replay',
];

/** What the parameter of each parametrised estimator means, for error messages. */
const PARAMETERS: Partial<Record<EstimatorName, { meaning: string; example: string; build: (p: number) => Estimator }>> = {
  'clipped-ips': { meaning: 'its maximum weight M', example: 'clipped-ips:100', build: clippedIps },
  'switch-dr': { meaning: 'its weight threshold λ', example: 'switch-dr:10', build: switchDr },
  dros: { meaning: 'its shrinkage λ', example: 'dros:5', build: dros },
};

const PLAIN: Partial<Record<EstimatorName, () => Estimator>> = {
  'on-policy': onPolicy,
  ips,
  snips,
  dm,
  dr,
  sndr,
  replay,
};

export function isEstimatorName(name: string): name is EstimatorName {
  return (ESTIMATOR_NAMES as readonly string[]).includes(name);
}

/**
 * Builds the estimator a spec names. clipped-ips, switch-dr and dros need a parameter in [0, ∞]
 * (Open Bandit Pipeline's `lambda_`, same range); the others take none.
 * @throws RangeError naming the estimator when the name is unknown or the parameter is missing,
 * superfluous, negative or NaN.
 */
export function createEstimator(spec: EstimatorSpec): Estimator {
  const { name, parameter } = spec;
  if (!isEstimatorName(name)) {
    throw new RangeError(`unknown estimator "${String(name)}"; known estimators: ${ESTIMATOR_NAMES.join(', ')}`);
  }
  const parametrised = PARAMETERS[name];
  if (parametrised === undefined) {
    if (parameter !== undefined) throw new RangeError(`${name} takes no parameter, got ${parameter}`);
    return (PLAIN[name] as () => Estimator)();
  }
  if (parameter === undefined) {
    throw new RangeError(`${name} needs ${parametrised.meaning}, e.g. ${parametrised.example}`);
  }
  if (typeof parameter !== 'number' || !(parameter >= 0)) {
    throw new RangeError(`${name} parameter must be a number >= 0, got ${String(parameter)}`);
  }
  return parametrised.build(parameter);
}
