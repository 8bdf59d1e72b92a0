import { FeedbackFormatError } from '../inputs/feedback-format-error.js';
import { openActionTable } from '../inputs/read-action-table.js';
import type { RewardPredictor } from './reward-predictor.js';

/**
 * A reward model given as a file of q̂(xᵢ, ·), one row per logged round (`--qhat`), read in lock-step
 * with the log (see `openActionTable`; synchronous while the file's current chunk lasts). An action of
 * the target's distribution without a column is an error.
 * @throws FeedbackFormatError on a row-count mismatch, a missing action column or a bad value.
 */
export async function openPredictionFile(file: string): Promise<RewardPredictor> {
  const { actions, rows } = await openActionTable(file, 'predictions');
  const columnOf = new Map(actions.map((action, column) => [action, column]));
  let count = 0;
  const select = (row: Float64Array | undefined, wanted: readonly string[], into?: Float64Array): Float64Array => {
    if (!row) throw new FeedbackFormatError(file, count + 2, undefined, `has ${count} rows but the log has more rounds`);
    count++;
    const predictions = into ?? new Float64Array(wanted.length);
    for (let a = 0; a < wanted.length; a++) {
      const column = columnOf.get(wanted[a]!);
      if (column === undefined) throw new FeedbackFormatError(file, 1, undefined, `has no column for action "${wanted[a]}"`);
      predictions[a] = row[column]!;
    }
    return predictions;
  };
  return {
    next(_round, wanted, into) {
      const row = rows.takeBuffered();
      if (!row) return rows.next().then((next) => select(next.value, wanted, into));
      // A bad row or a missing column rejects, as when the row had to be read first.
      try {
        return select(row, wanted, into);
      } catch (error) {
        return Promise.reject(error);
      }
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
