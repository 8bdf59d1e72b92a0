import { FeedbackFormatError } from '../inputs/feedback-format-error.js';
import { openActionTable } from '../inputs/read-action-table.js';
import type { RewardPredictor } from './reward-predictor.js';

/**
 * A reward model given as a file of q̂(xᵢ, ·), one row per logged round (`--qhat`), read in lock-step
 * with the log (see `openActionTable`). An action of the target's distribution without a column is an error.
 * @throws FeedbackFormatError on a row-count mismatch, a missing action column or a bad value.
 */
export async function openPredictionFile(file: string): Promise<RewardPredictor> {
  const { actions, rows } = await openActionTable(file, 'predictions');
  const columnOf = new Map(actions.map((action, column) => [action, column]));
  let count = 0;
  return {
    async next(_round, wanted) {
      const row = await rows.next();
      if (row.done) throw new FeedbackFormatError(file, count + 2, undefined, `has ${count} rows but the log has more rounds`);
      count++;
      const predictions = new Float64Array(wanted.length);
      for (let a = 0; a < wanted.length; a++) {
        const column = columnOf.get(wanted[a]!);
        if (column === undefined) throw new FeedbackFormatError(file, 1, undefined, `has no column for action "${wanted[a]}"`);
        predictions[a] = row.value[column]!;
      }
      return predictions;
    },
    async finish() {
      const row = await rows.next();
      if (!row.done) {
        await rows.return?.();
        throw new FeedbackFormatError(file, count + 2, undefined, `has more rows than the log's ${count} rounds`);
      }
    },
  };
}
