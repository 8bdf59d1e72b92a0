import { extname } from 'node:path';
import type { LoggedRound } from '../evaluation-types.js';
import { splitCsvLine } from './csv-fields.js';
import { FeedbackFormatError } from './feedback-format-error.js';
import { detectFeedbackLayout, type ColumnRole, type FeedbackLayout } from './feedback-layout.js';
import { readLines } from './read-lines.js';

/** A cell as a file holds it: CSV text, or a JSON scalar. */
type Cell = string | number | boolean | null;

/**
 * Streams the rounds of a logged-feedback file, one row per round, in file order: CSV (`.csv`) with a
 * header line, or JSON Lines (`.jsonl`, `.ndjson`) with one flat object per line. The columns follow the
 * default or the Open Bandit Dataset layout (`detectFeedbackLayout`), detected from the CSV header or the
 * first JSON object. A CSV context cell is a number when it parses as one, `true`/`false` a boolean,
 * otherwise a string; an empty cell (or JSON `null`) leaves the feature out, so the encoder's default applies.
 * @throws FeedbackFormatError naming the line and column of the first bad value.
 */
export async function* readLoggedFeedback(file: string): AsyncGenerator<LoggedRound> {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') yield* readCsv(file);
  else if (extension === '.jsonl' || extension === '.ndjson') yield* readJsonLines(file);
  else throw new FeedbackFormatError(file, 0, undefined, `unknown file type "${extension}" (expected .csv, .jsonl or .ndjson)`);
}

async function* readCsv(file: string): AsyncGenerator<LoggedRound> {
  let header: string[] | undefined;
  let roles: ColumnRole[][] = [];
  let layout: FeedbackLayout | undefined;
  for await (const { line, text } of readLines(file)) {
    const cells = splitCsvLine(text);
    if (typeof cells === 'string') throw new FeedbackFormatError(file, line, undefined, cells);
    if (!header || !layout) {
      const detected = detectFeedbackLayout(cells);
      if (typeof detected === 'string') throw new FeedbackFormatError(file, line, undefined, detected);
      header = cells;
      layout = detected;
      roles = cells.map((name) => detected.roles(name));
      continue;
    }
    if (cells.length !== header.length) {
      throw new FeedbackFormatError(file, line, undefined, `has ${cells.length} fields, the header has ${header.length}`);
    }
    const builder = new RoundBuilder(file, line, layout, false);
    for (let column = 0; column < cells.length; column++) builder.set(header[column]!, roles[column]!, cells[column]!);
    yield builder.build();
  }
  if (!header) throw new FeedbackFormatError(file, 1, undefined, 'the file is empty (no header line)');
}

async function* readJsonLines(file: string): AsyncGenerator<LoggedRound> {
  let layout: FeedbackLayout | undefined;
  const roles = new Map<string, ColumnRole[]>();
  for await (const { line, text } of readLines(file)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new FeedbackFormatError(file, line, undefined, `invalid JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new FeedbackFormatError(file, line, undefined, 'each line must be a JSON object');
    }
    const row = value as Record<string, unknown>;
    if (!layout) {
      const detected = detectFeedbackLayout(Object.keys(row));
      if (typeof detected === 'string') throw new FeedbackFormatError(file, line, undefined, detected);
      layout = detected;
    }
    const builder = new RoundBuilder(file, line, layout, true);
    for (const [name, cell] of Object.entries(row)) {
      if (cell !== null && typeof cell === 'object') {
        throw new FeedbackFormatError(file, line, name, 'must be a string, number, boolean or null');
      }
      let columnRoles = roles.get(name);
      if (!columnRoles) roles.set(name, (columnRoles = layout.roles(name)));
      builder.set(name, columnRoles, cell as Cell);
    }
    yield builder.build();
  }
}

/** Collects one row's cells into a round, checking each field as it arrives. */
class RoundBuilder {
  private action: string | undefined;
  private reward: number | undefined;
  private propensity: number | undefined;
  private position: number | undefined;
  private timestamp: Date | undefined;
  private readonly context: Record<string, number | boolean | string> = {};

  constructor(
    private readonly file: string,
    private readonly line: number,
    private readonly layout: FeedbackLayout,
    /** JSON cells carry their type; CSV cells are text to be typed. */
    private readonly typed: boolean,
  ) {}

  set(column: string, roles: readonly ColumnRole[], cell: Cell): void {
    for (const role of roles) {
      switch (role.role) {
        case 'action':
          if (cell === null || cell === '' || typeof cell === 'boolean') throw this.error(column, 'must be a non-empty action id');
          this.action = String(cell);
          break;
        case 'reward':
          this.reward = this.number(column, cell, Number.isFinite, 'a finite number');
          break;
        case 'propensity':
          this.propensity = this.number(column, cell, (x) => x > 0 && x <= 1, 'a number in (0, 1]');
          break;
        case 'position':
          if (cell !== null && cell !== '') this.position = this.number(column, cell, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1');
          break;
        case 'timestamp':
          if (cell !== null && cell !== '') this.timestamp = this.date(column, cell);
          break;
        case 'context':
          if (cell === null || cell === '') break;
          this.context[role.feature] = role.categorical ? String(cell) : typeof cell === 'string' && !this.typed ? parseCell(cell) : cell;
          break;
        case 'ignored':
          break;
      }
    }
  }

  build(): LoggedRound {
    const { required } = this.layout;
    if (this.action === undefined) throw this.error(required.action, 'is missing');
    if (this.reward === undefined) throw this.error(required.reward, 'is missing');
    if (this.propensity === undefined) throw this.error(required.propensity, 'is missing');
    const round: LoggedRound = { context: this.context, action: this.action, reward: this.reward, propensity: this.propensity };
    if (this.position !== undefined) round.position = this.position;
    if (this.timestamp !== undefined) round.timestamp = this.timestamp;
    return round;
  }

  private number(column: string, cell: Cell, valid: (x: number) => boolean, expected: string): number {
    const value = typeof cell === 'number' ? cell : typeof cell === 'string' && cell.trim() !== '' ? Number(cell) : NaN;
    if (!valid(value)) throw this.error(column, `must be ${expected}, got ${JSON.stringify(cell)}`);
    return value;
  }

  private date(column: string, cell: Cell): Date {
    const time = typeof cell === 'number' ? cell : typeof cell === 'string' ? Date.parse(cell) : NaN;
    if (!Number.isFinite(time)) throw this.error(column, `must be a date (ISO 8601) or epoch milliseconds, got ${JSON.stringify(cell)}`);
    return new Date(time);
  }

  private error(column: string, reason: string): FeedbackFormatError {
    return new FeedbackFormatError(this.file, this.line, column, reason);
  }
}

/** A CSV context cell: a number when it parses as a finite one, `true`/`false` a boolean, else the text. */
function parseCell(text: string): number | boolean | string {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const value = Number(text);
  return Number.isFinite(value) && text.trim() !== '' ? value : text;
}
