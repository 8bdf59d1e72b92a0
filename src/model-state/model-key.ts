import type { Surface } from '../surfaces/surface.js';

/**
 * The statistics a policy arm learns into: its surface, its id, its learner kind and the surface's
 * feature-schema version. Retuning ε, α, v or the traffic shares keeps the key (and what was learned);
 * a new learner kind or feature schema starts from the prior.
 */
export function modelKey(surface: Surface, policyArmId: string): string {
  const policyArm = surface.config.policyArms.find((candidate) => candidate.id === policyArmId);
  if (!policyArm) throw new RangeError(`surface ${surface.config.id} has no policy arm "${policyArmId}"`);
  return `${surface.config.id}:${policyArm.id}:${policyArm.learner.kind}:${surface.featureSchemaVersion}`;
}
