import type { ErrorDetail } from '../errors.js';
import type { SurfaceConfig } from '../surfaces/surface.js';
import type { ArmConfig } from './campaign-arm.js';

/**
 * The rules of an arm's flight and campaign that its JSON Schema cannot state, for surface files and
 * arms added or changed through the admin API alike: a non-empty flight; targeting only on declared
 * features, with values of the feature's type (and a declared level); pacing only with something to
 * pace (a daily budget, or a total budget and a flight end).
 * @param path the arm's path in messages, e.g. `arms[3]`; '' for an arm on its own.
 */
export function armIssues(arm: ArmConfig, path: string, features: SurfaceConfig['features']): ErrorDetail[] {
  const at = (field: string) => (path === '' ? field : `${path}.${field}`);
  const issues: ErrorDetail[] = [];
  if (arm.start !== undefined && arm.end !== undefined && Date.parse(arm.start) >= Date.parse(arm.end)) {
    issues.push({ path: at('end'), message: `must be after start ${arm.start} (got ${arm.end})` });
  }
  const campaign = arm.campaign;
  if (!campaign) return issues;
  const byName = new Map(features.map((feature) => [feature.name, feature]));
  (campaign.targeting ?? []).forEach((rule, index) => {
    const feature = byName.get(rule.feature);
    const rulePath = at(`campaign.targeting[${index}]`);
    if (!feature) {
      issues.push({ path: `${rulePath}.feature`, message: `'${rule.feature}' is not a feature of the surface` });
      return;
    }
    const values = rule.in ?? (rule.equals === undefined ? [] : [rule.equals]);
    const bad = values.find((value) =>
      feature.type === 'categorical' ? typeof value !== 'string' || !feature.levels.includes(value) : typeof value !== (feature.type === 'numeric' ? 'number' : 'boolean'),
    );
    if (bad !== undefined) {
      const expected = feature.type === 'categorical' ? `one of the levels ${feature.levels.join(', ')}` : `a ${feature.type} value`;
      issues.push({ path: `${rulePath}.${rule.in === undefined ? 'equals' : 'in'}`, message: `must be ${expected} (got ${JSON.stringify(bad)})` });
    }
  });
  if (campaign.pacing === true) {
    const budget = campaign.budget;
    if (budget?.daily === undefined && (budget?.total === undefined || arm.end === undefined)) {
      issues.push({ path: at('campaign.pacing'), message: 'needs a daily budget, or a total budget and an end date' });
    }
  }
  return issues;
}
