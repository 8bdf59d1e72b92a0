import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const BUDGET = 25;

/**
 * Writes `promo.yaml` into `dir`: a uniform control over one plain arm and three campaigns, one per
 * counter: `campaign:launch` (total budget 25), `campaign:capped` (two impressions per unit and hour)
 * and `campaign:ios` (targets iOS). Uniform, so each eligible arm is drawn with probability 1/|E|.
 * @returns `dir`, to pass as `policiesDir`.
 */
export async function campaignPolicies(dir: string): Promise<string> {
  await writeFile(
    join(dir, 'promo.yaml'),
    `id: promo
name: Promo slot
randomization: request
arms:
  - { id: album:evergreen, kind: music }
  - { id: campaign:launch, kind: campaign, campaign: { budget: { total: ${BUDGET}, daily: 1000 } } }
  - { id: campaign:capped, kind: campaign, campaign: { frequencyCap: { impressions: 2, periodSeconds: 3600 } } }
  - { id: campaign:ios, kind: campaign, campaign: { targeting: [{ feature: device, in: [ios] }] } }
features:
  - { name: x, type: numeric, default: 0 }
  - { name: device, type: categorical, levels: [ios, android, web], default: web }
reward:
  type: binary
  attributionWindowSeconds: 60
  default: 0
policyArms:
  - { id: control, share: 1, learner: { kind: uniform } }
`,
  );
  return dir;
}
