import { FeedbackFormatError } from '../inputs/feedback-format-error.js';
import { openActionTable } from '../inputs/read-action-table.js';
import type { TargetDistribution, TargetPolicy } from './target-policy.js';

/**
 * A target policy given as a file of π_e(· | xᵢ), one row per logged round (`--target-probs`), read in
 * lock-step with the log (see `openActionTable`). Exact: nothing is simulated. `next` answers
 * synchronously while the file's current chunk lasts and with a promise once per chunk.
 * @throws FeedbackFormatError when the file has fewer or more rows than the log, or a bad row.
 */
export async function openProbabilitiesTarget(file: string): Promise<TargetPolicy> {
  const { actions, rows } = await openActionTable(file, 'probabilities');
  let count = 0;
  const distribution = (row: Float64Array | undefined): TargetDistribution => {
    if (!row) throw new FeedbackFormatError(file, count + 2, undefined, `has ${count} rows but the log has more rounds`);
    count++;
    return { actions, probabilities: row };
  };
  return {
    label: file,
    warnings: [],
    next() {
      // A bad row (thrown while taking it) rejects, as when the row had to be read first.
      let row: Float64Array | undefined;
      try {
        row = rows.takeBuffered();
      } catch (error) {
        return Promise.reject(error);
      }
      return row ? distribution(row) : rows.next().then((next) => distribution(next.value));
    },
    async finish() {
      const row = await rows.next();
      if (!row.done) {
        await rows.return();
        throw new FeedbackFormatError(file, count + 2, undefined, `has more rows than the log's ${count} rounds`);
      }
    },
  };
}
