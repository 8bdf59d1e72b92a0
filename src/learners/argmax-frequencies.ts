/**
 * The Monte Carlo estimate of P(arm k has the highest score): the fraction of M sampled score vectors
 * (rows of a row-major M×K matrix) in which column k is the maximum. With continuous posteriors ties
 * have probability zero; a tie that floating point still produces goes to the lowest column.
 * The estimate of each probability has standard error √(p(1 − p)/M).
 */
export function argmaxFrequencies(scores: Float64Array, draws: number, count: number): Float64Array {
  const frequencies = new Float64Array(count);
  for (let m = 0; m < draws; m++) {
    const row = m * count;
    let best = 0;
    let bestScore = scores[row]!;
    for (let k = 1; k < count; k++) {
      const score = scores[row + k]!;
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    }
    frequencies[best]! += 1;
  }
  for (let k = 0; k < count; k++) frequencies[k]! /= draws;
  return frequencies;
}
