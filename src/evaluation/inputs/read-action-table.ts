import { splitCsvLine } from './csv-fields.js';
import { FeedbackFormatError } from './feedback-format-error.js';
import { lineText, readLineBatches, type LineBatch } from './read-lines.js';

/** What a per-action table holds: target probabilities π_e(· | xᵢ), or reward-model predictions q̂(xᵢ, ·). */
export type ActionTableKind = 'probabilities' | 'predictions';

export interface ActionTable {
  /** The action of each column: the header's action ids, or `0 … K−1` for an `a_0 … a_{K-1}` header. */
  actions: readonly string[];
  /** One row per logged round, in log order. */
  rows: ActionTableRows;
}

/** Tolerance on Σₐ π_e(a | xᵢ) = 1. */
export const PROBABILITY_SUM_TOLERANCE = 1e-6;

/**
 * Opens a CSV file with one row per logged round (in the log's order) and one column per action, to be
 * read in lock-step with the log (`--target-probs`, `--qhat`). Headers `a_0 … a_{K−1}` name actions
 * `0 … K−1` (the Open Bandit Dataset's item ids); any other header names the action ids themselves.
 * Every value must be a finite number; a probability must also be ≥ 0 and a probability row sum to 1
 * within 1e-6. (Predictions may be negative: rewards need not be.)
 * @throws FeedbackFormatError naming the line and column of a bad value (also while reading `rows`).
 */
export async function openActionTable(file: string, kind: ActionTableKind): Promise<ActionTable> {
  const batches = readLineBatches(file);
  const first = await batches.next();
  if (first.done) throw new FeedbackFormatError(file, 1, undefined, 'the file is empty (no header line)');
  const headerLine = first.value.lines[0]!;
  const header = splitCsvLine(lineText(first.value, 0));
  if (typeof header === 'string') throw new FeedbackFormatError(file, headerLine, undefined, header);
  const duplicate = header.find((name, index) => header.indexOf(name) !== index);
  if (duplicate !== undefined) throw new FeedbackFormatError(file, headerLine, duplicate, 'appears twice in the header');
  if (header.some((name) => name === '')) throw new FeedbackFormatError(file, headerLine, undefined, 'a header cell is empty');
  const indexed = header.every((name, index) => name === `a_${index}`);
  return { actions: indexed ? header.map((_, index) => String(index)) : header, rows: new ActionTableRows(file, header, kind, batches, first.value) };
}

/**
 * The rows of an action table. A row already read from the file (a chunk at a time) is parsed when taken,
 * synchronously (`takeBuffered`), so a lock-step reader awaits once per chunk, not once per row; a bad row
 * still fails exactly when it is reached.
 */
export class ActionTableRows implements AsyncIterator<Float64Array> {
  private index = 1;

  constructor(
    private readonly file: string,
    private readonly header: readonly string[],
    private readonly kind: ActionTableKind,
    private readonly batches: AsyncGenerator<LineBatch>,
    /** The chunk being taken from; its first line is the header. */
    private batch: LineBatch,
  ) {}

  /** The next row when its line is already in memory, else undefined: then `next()` reads the next chunk. */
  takeBuffered(): Float64Array | undefined {
    const batch = this.batch;
    if (this.index >= batch.lines.length) return undefined;
    const k = this.index++;
    return this.parse(batch.lines[k]!, lineText(batch, k));
  }

  async next(): Promise<IteratorResult<Float64Array, undefined>> {
    for (;;) {
      const row = this.takeBuffered();
      if (row) return { done: false, value: row };
      const next = await this.batches.next();
      if (next.done) return { done: true, value: undefined };
      this.batch = next.value;
      this.index = 0;
    }
  }

  async return(): Promise<IteratorResult<Float64Array, undefined>> {
    await this.batches.return(undefined);
    return { done: true, value: undefined };
  }

  private parse(line: number, text: string): Float64Array {
    const { file, header, kind } = this;
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
    return row;
  }
}
