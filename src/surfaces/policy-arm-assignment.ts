import { createHash } from 'node:crypto';
import type { PolicyArmConfig, Surface } from './surface.js';

/** 2⁵²: the 52 leading bits of the hash fill a double's mantissa exactly. */
const TWO_POW_52 = 2 ** 52;

/**
 * Picks the policy arm that serves a request, by cumulative shares over u ∈ [0, 1).
 *
 * With `randomization: user` and a unit, u comes from the unit: the first 52 bits of
 * SHA-256(`${seed}:${unit}`) divided by 2⁵², so a user stays on one policy arm across requests and
 * instances (comparisons between policy arms are per user, not per impression). The seed (the
 * surface id by default) makes the split of one surface independent of another's. Otherwise, and
 * for anonymous requests, u = `requestRandom()`.
 *
 * @param requestRandom uniform on [0, 1); injected so that decisions are reproducible from a seed.
 * @throws RangeError when `requestRandom` returns a value outside [0, 1).
 */
export function assignPolicyArm(
  surface: Surface,
  unit: string | null,
  requestRandom: () => number,
): PolicyArmConfig {
  const { config } = surface;
  const sticky = config.randomization === 'user' && unit !== null;
  const u = sticky ? unitPosition(config.seed ?? config.id, unit) : requestRandom();
  if (!(u >= 0 && u < 1)) throw new RangeError(`requestRandom must return a number in [0, 1) (got ${u})`);
  let cumulative = 0;
  for (const policyArm of config.policyArms) {
    cumulative += policyArm.share;
    if (u < cumulative) return policyArm;
  }
  // Shares sum to 1 only within rounding; a u in the last sliver belongs to the last policy arm.
  const last = config.policyArms.at(-1);
  if (last === undefined) throw new RangeError(`surface ${config.id} has no policy arms`);
  return last;
}

function unitPosition(seed: string, unit: string): number {
  const hex = createHash('sha256').update(`${seed}:${unit}`).digest('hex');
  return Number.parseInt(hex.slice(0, 13), 16) / TWO_POW_52;
}
