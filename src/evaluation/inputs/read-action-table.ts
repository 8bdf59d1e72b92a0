import { splitCsvLine } from './csv-fields.js';
import { FeedbackFormatError } from './feedback-format-error.js';
import { readLines } from './read-lines.js';

/** What a per-action table holds: target probabilities π_e(· | xᵢ), or reward-model predictions q̂(xᵢ, ·). */
export type ActionTableKind = 'probabilities' | 'predictions';

export interface ActionTable {
  /** The action of each column: the header's action ids, or `0 … K−1` for an `a_0 … a_{K-1}` header. */
  actions: readonly string[];
  /** One row per logged round, in log order. */
  rows: AsyncIterator<Float64Array>;
}

/** Tolerance on Σₐ π_e(a | xᵢ) = 1. */
export const PROBABILITY_SUM_TOLERANCE = 1e-6;

/**
 * Opens a CSV file with one row per logged round (in the log's order) and one column per action, to be
 * read in lock-step with the log (`--target-probs`, `--qhat`). Headers `a_0 … a_{K−1}` name actions
 * `0 … K−1` (the Open Bandit Dataset's item ids); any other header names the action ids themselves.
 * Every value must be a finite number; a probability must also be ≥ 0 and a probability row sum to 1
 * within 1e-6. (Predictions may be negative: rewards need not be.)
 * @throws FeedbackFormatError naming the line and column of a bad value (also while iterating `rows`).
 */
export async function openActionTable(file: string, kind: ActionTableKind): Promise<ActionTable> {
  const lines = readLines(file);
  const first = await lines.next();
  if (first.done) throw new FeedbackFormatError(file, 1, undefined, 'the file is empty (no header line)');
  const header = splitCsvLine(first.value.text);
  if (typeof header === 'string') throw new FeedbackFormatError(file, first.value.line, undefined, header);
  const duplicate = header.find((name, index) => header.indexOf(name) !== index);
  if (duplicate !== undefined) throw new FeedbackFormatError(file, first.value.line, duplicate, 'appears twice in the header');
  if (header.some((name) => name === '')) throw new FeedbackFormatError(file, first.value.line, undefined, 'a header cell is empty');
  const indexed = header.every((name, index) => name === `a_${index}`);
  return { actions: indexed ? header.map((_, index) => String(index)) : header, rows: parseRows(file, header, kind, lines) };
}

async function* parseRows(
  file: string,
  header: readonly string[],
  kind: ActionTableKind,
  lines: AsyncGenerator<{ line: number; text: string }>,
): AsyncGenerator<Float64Array> {
  for await (const { line, text } of lines) {
    const cells = splitCsvLine(text);
    if (typeof cells === 'string') throw new FeedbackFormatError(file, line, undefined, cells);
    if (cells.length !== header.length) throw new FeedbackFormatError(file, line, undefined, `has ${cells.length} fields, the header has ${header.length}`);
    const row = new Float64Array(cells.length);
    let sum = 0;
    for (let column = 0; column < cells.length; column++) {
      const cell = cells[column]!;
      const value = cell.trim() === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) throw new FeedbackFormatError(file, line, header[column], `must be a finite number, got "${cell}"`);
      if (kind === 'probabilities' && value < 0) throw new FeedbackFormatError(file, line, header[column], `must not be negative, got ${value}`);
      row[column] = value;
      sum += value;
    }
    if (kind === 'probabilities' && Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
      throw new FeedbackFormatError(file, line, undefined, `target probabilities must sum to 1 (±${PROBABILITY_SUM_TOLERANCE}), got ${sum}`);
    }
    yield row;
  }
}
