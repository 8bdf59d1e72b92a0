// The results-file helpers live in src/ so that commands under src/cli/ can write results too.
export { markdownTable, resultsHeader, writeResults } from '../src/simulation/results-file.js';

/** The sample mean and (n − 1) standard deviation of a list of numbers (sd 0 for a single value). */
export function meanAndDeviation(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (values.length < 2) return { mean, sd: 0 };
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}
