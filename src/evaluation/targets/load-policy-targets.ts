import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { schemaViolations } from '../../api/schema-validator.js';
import type { FeatureSpec } from '../../learners/feature-spec.js';
import type { LearnerConfig } from '../../learners/learner-config.js';
import { buildSurface } from '../../surfaces/surface.js';
import { SurfaceConfigError } from '../../surfaces/surface-config-error.js';
import type { PolicyTargetSpec } from './policy-target.js';

/** What a `--policy` file was: a surface, a bare learner config, or a frozen snapshot. */
export type PolicyFileKind = 'surface' | 'learner' | 'snapshot';

export interface PolicyFile {
  kind: PolicyFileKind;
  specs: PolicyTargetSpec[];
}

/**
 * Reads a `--policy` file (YAML or JSON) into the target policies it declares:
 * - a surface file (`policies/*.yaml`, recognised by `policyArms`): validated like the service does;
 *   one spec per policy arm, or only `policyArm` when given; the actions are the surface's arms;
 * - a learner config `{ learner, features, arms: [armId, …] }`;
 * - a snapshot `{ learner, features, arms: { armId: [statistics…] } }` (see `PolicySnapshot`).
 * @throws SurfaceConfigError naming the file and the field that is wrong.
 */
export async function loadPolicyFile(file: string, policyArm?: string): Promise<PolicyFile> {
  const text = await readFile(file, 'utf8');
  let value: unknown;
  try {
    value = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new SurfaceConfigError(file, [{ message: `cannot parse: ${(error as Error).message}` }]);
  }
  if (typeof value !== 'object' || value === null) throw new SurfaceConfigError(file, [{ message: 'must be an object' }]);
  const object = value as Record<string, unknown>;
  if ('policyArms' in object) {
    const { config } = buildSurface(value, file);
    const arms = config.arms.map((arm) => arm.id);
    const chosen = policyArm === undefined ? config.policyArms : config.policyArms.filter((arm) => arm.id === policyArm);
    if (chosen.length === 0) {
      const known = config.policyArms.map((arm) => arm.id).join(', ');
      throw new SurfaceConfigError(file, [{ path: 'policyArms', message: `no policy arm "${policyArm}" (known: ${known})` }]);
    }
    return {
      kind: 'surface',
      specs: chosen.map((arm) => ({ label: `${config.id}/${arm.id}`, learner: arm.learner, features: config.features, arms })),
    };
  }
  if (policyArm !== undefined) throw new SurfaceConfigError(file, [{ message: '--target-policy-arm applies to surface files only' }]);
  const issues = [
    ...schemaViolations('LearnerConfig', object['learner']).map((issue) => ({ ...issue, path: `learner${issue.path ? `.${issue.path}` : ''}` })),
    ...(Array.isArray(object['features'])
      ? object['features'].flatMap((feature, index) =>
          schemaViolations('FeatureSpec', feature).map((issue) => ({ ...issue, path: `features[${index}]${issue.path ? `.${issue.path}` : ''}` })),
        )
      : [{ path: 'features', message: 'must be a list of feature specs' }]),
  ];
  const arms = object['arms'];
  const kind: PolicyFileKind | undefined = Array.isArray(arms) ? 'learner' : typeof arms === 'object' && arms !== null ? 'snapshot' : undefined;
  if (kind === 'learner' && !(arms as unknown[]).every((arm) => typeof arm === 'string' && arm !== '')) {
    issues.push({ path: 'arms', message: 'must be a list of arm ids' });
  }
  if (kind === 'snapshot') {
    for (const [arm, statistics] of Object.entries(arms as Record<string, unknown>)) {
      if (!Array.isArray(statistics) || !statistics.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        issues.push({ path: `arms.${arm}`, message: 'must be a list of finite numbers' });
      }
    }
  }
  if (kind === undefined) issues.push({ path: 'arms', message: 'must be a list of arm ids (learner config) or an object of statistics per arm (snapshot)' });
  if (issues.length > 0) throw new SurfaceConfigError(file, issues);
  const learner = object['learner'] as LearnerConfig;
  const features = object['features'] as FeatureSpec[];
  const label = `${file} ${learner.kind}`;
  if (kind === 'learner') return { kind, specs: [{ label, learner, features, arms: arms as string[] }] };
  const statistics = arms as Record<string, number[]>;
  return { kind: 'snapshot', specs: [{ label, learner, features, arms: Object.keys(statistics), statistics }] };
}
