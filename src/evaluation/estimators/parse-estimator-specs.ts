import type { EstimatorSpec } from '../evaluation-types.js';
import { createEstimator, ESTIMATOR_NAMES, isEstimatorName } from './create-estimator.js';

const NUMBER = /^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Parses a comma-separated estimator list such as `ips,snips,switch-dr:10,dros:5,clipped-ips:100`.
 * Each item is `name` or `name:parameter`; the parameter is a non-negative decimal number or `inf`.
 * The same name may appear with different parameters (`switch-dr:5,switch-dr:50`), not twice alike.
 * @throws RangeError naming the 1-based item and what is wrong with it.
 * @example parseEstimatorSpecs('ips,dros:5') // [{ name: 'ips' }, { name: 'dros', parameter: 5 }]
 */
export function parseEstimatorSpecs(text: string): EstimatorSpec[] {
  if (text.trim() === '') throw new RangeError('estimator list is empty');
  const specs: EstimatorSpec[] = [];
  const seen = new Set<string>();
  text.split(',').forEach((rawItem, index) => {
    const item = rawItem.trim();
    const where = `estimator list item ${index + 1}`;
    if (item === '') throw new RangeError(`${where} is empty`);
    const colon = item.indexOf(':');
    const name = (colon < 0 ? item : item.slice(0, colon)).trim();
    if (!isEstimatorName(name)) {
      throw new RangeError(`${where}: unknown estimator "${name}"; known estimators: ${ESTIMATOR_NAMES.join(', ')}`);
    }
    const spec: EstimatorSpec = { name };
    if (colon >= 0) {
      const rawParameter = item.slice(colon + 1).trim();
      if (/^inf(inity)?$/i.test(rawParameter)) spec.parameter = Number.POSITIVE_INFINITY;
      else if (NUMBER.test(rawParameter)) spec.parameter = Number(rawParameter);
      else throw new RangeError(`${where}: parameter of ${name} must be a number >= 0 or inf, got "${rawParameter}"`);
    }
    try {
      createEstimator(spec);
    } catch (error) {
      throw new RangeError(`${where}: ${(error as Error).message}`);
    }
    const key = `${name}:${spec.parameter ?? ''}`;
    if (seen.has(key)) throw new RangeError(`${where}: "${item}" is listed twice`);
    seen.add(key);
    specs.push(spec);
  });
  return specs;
}
