import type { LoggedRound } from '../evaluation-types.js';
import { FeedbackFormatError } from './feedback-format-error.js';
import type { ColumnRole, FeedbackLayout } from './feedback-layout.js';

/** A cell as a file holds it: CSV text, or a JSON scalar. */
export type Cell = string | number | boolean | null;

/** Collects one row's cells into a round, checking each field as it arrives; reused row after row (`start`). */
export class RoundBuilder {
  private line = 0;
  action: string | undefined;
  reward: number | undefined;
  propensity: number | undefined;
  private position: number | undefined;
  private timestamp: Date | undefined;
  context: Record<string, number | boolean | string> = {};

  constructor(
    private readonly file: string,
    readonly layout: FeedbackLayout,
    /** JSON cells carry their type; CSV cells are text to be typed. */
    private readonly typed: boolean,
  ) {}

  /** Begins the row of this line, forgetting the previous one. */
  start(line: number): void {
    this.line = line;
    this.action = undefined;
    this.reward = undefined;
    this.propensity = undefined;
    this.position = undefined;
    this.timestamp = undefined;
    this.context = {};
  }

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
export function parseCell(text: string): number | boolean | string {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const value = Number(text);
  return Number.isFinite(value) && text.trim() !== '' ? value : text;
}
