import type { Random } from '../stats/random.js';

/**
 * Draws an index from a discrete distribution by inverting its cumulative sum at one uniform u:
 * the first i with u < p₀ + … + pᵢ. If rounding leaves u above the total, the last index with positive
 * probability is returned, so an index of probability zero is never drawn.
 */
export function sampleIndex(probabilities: ArrayLike<number>, random: Random): number {
  const u = random();
  let cumulative = 0;
  let lastPositive = -1;
  for (let i = 0; i < probabilities.length; i++) {
    const probability = probabilities[i]!;
    if (probability <= 0) continue;
    cumulative += probability;
    lastPositive = i;
    if (u < cumulative) return i;
  }
  if (lastPositive < 0) throw new RangeError('cannot sample from a distribution with no positive probability');
  return lastPositive;
}
