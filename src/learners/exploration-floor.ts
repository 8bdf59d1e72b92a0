/**
 * The exploration floor: π(a) = (1 − ε)·π_learner(a) + ε/K over the K candidates, so every candidate
 * keeps a propensity of at least ε/K and off-policy estimates stay bounded (importance weight ≤ K/ε).
 * @throws RangeError when ε is outside [0, 1].
 */
export function withExplorationFloor(probabilities: Float64Array, epsilon: number): Float64Array {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilon must be in [0, 1], got ${epsilon}`);
  const floor = epsilon / probabilities.length;
  return probabilities.map((probability) => (1 - epsilon) * probability + floor);
}
