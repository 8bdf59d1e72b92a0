import type { LoggedRound } from '../evaluation-types.js';
import { splitCsvLine } from './csv-fields.js';
import { FeedbackFormatError } from './feedback-format-error.js';
import type { ColumnRole, FeedbackLayout } from './feedback-layout.js';
import { parseDecimal } from './parse-decimal.js';
import { parseCell, RoundBuilder } from './round-builder.js';

/** What the fast path does with a column; `generic` hands the cell to `RoundBuilder.set`. */
const enum Plan {
  Ignored,
  Action,
  Reward,
  Propensity,
  Numeric,
  Categorical,
  Generic,
}

/** Distinct texts kept per column for reuse; a column with more levels allocates its cells as usual. */
const INTERNED_PER_COLUMN = 16;

/**
 * Turns the data lines of a logged-feedback CSV into rounds, with exactly the values and errors of
 * splitting each line (`splitCsvLine`) and typing each cell (`RoundBuilder`), at a fraction of the cost:
 * a line without quotes is scanned in place in its chunk for its commas (no string per line), numbers are read from the characters
 * (`parseDecimal`, falling back to `Number` and the builder's checks for anything unusual), ignored
 * columns are never sliced, and a low-cardinality text column (action ids, categorical levels) reuses one
 * string per distinct value. A line with a quote takes the general path.
 */
export class CsvRoundParser {
  private readonly plans: Plan[];
  private readonly features: string[];
  /** Per column, its first distinct texts (action ids, levels) … */
  private readonly interned: string[][];
  /** … and, for a numeric context column, what `parseCell` made of each. */
  private readonly typedValues: Array<Array<number | boolean | string>>;
  private readonly builder: RoundBuilder;
  private readonly commas: Int32Array;
  private nextQuote = -1;

  constructor(
    private readonly file: string,
    layout: FeedbackLayout,
    private readonly header: readonly string[],
    private readonly roles: readonly (readonly ColumnRole[])[],
  ) {
    this.builder = new RoundBuilder(file, layout, false);
    this.plans = roles.map(planOf);
    this.features = roles.map((columnRoles) => (columnRoles[0]?.role === 'context' ? columnRoles[0].feature : ''));
    this.interned = header.map(() => []);
    this.typedValues = header.map(() => []);
    this.commas = new Int32Array(header.length + 1);
  }

  /** Call before the lines of a new chunk of text. */
  startChunk(): void {
    this.nextQuote = -1;
  }

  /**
   * The round of the data line text[lineStart … lineEnd) (lines of one chunk in order).
   * @throws FeedbackFormatError naming the line and the first bad column.
   */
  parse(text: string, lineStart: number, lineEnd: number, line: number): LoggedRound {
    // The next quote at or after this line, found once per quote rather than once per line.
    if (this.nextQuote !== Infinity && this.nextQuote < lineStart) {
      const quote = text.indexOf('"', lineStart);
      this.nextQuote = quote < 0 ? Infinity : quote;
    }
    if (this.nextQuote < lineEnd) return this.parseQuoted(text.slice(lineStart, lineEnd), line);
    const { header, plans, builder, commas } = this;
    const width = header.length;
    let fields = 1;
    for (let comma = text.indexOf(',', lineStart); comma >= 0 && comma < lineEnd; comma = text.indexOf(',', comma + 1)) {
      if (fields < width) commas[fields - 1] = comma;
      fields++;
    }
    if (fields !== width) throw new FeedbackFormatError(this.file, line, undefined, `has ${fields} fields, the header has ${width}`);
    commas[width - 1] = lineEnd;
    builder.start(line);
    let start = lineStart;
    for (let column = 0; column < width; column++) {
      const end = commas[column]!;
      switch (plans[column]) {
        case Plan.Ignored:
          break;
        case Plan.Action:
          if (end > start) builder.action = this.intern(column, text, start, end);
          else this.generic(column, '');
          break;
        case Plan.Reward: {
          const value = parseDecimal(text, start, end);
          if (Number.isFinite(value)) builder.reward = value;
          else this.generic(column, text.slice(start, end));
          break;
        }
        case Plan.Propensity: {
          const value = parseDecimal(text, start, end);
          if (value > 0 && value <= 1) builder.propensity = value;
          else this.generic(column, text.slice(start, end));
          break;
        }
        case Plan.Numeric: {
          if (end === start) break;
          const value = parseDecimal(text, start, end);
          builder.context[this.features[column]!] = Number.isFinite(value) ? value : this.typedText(column, text, start, end);
          break;
        }
        case Plan.Categorical:
          if (end > start) builder.context[this.features[column]!] = this.intern(column, text, start, end);
          break;
        default:
          this.generic(column, text.slice(start, end));
      }
      start = end + 1;
    }
    return builder.build();
  }

  private parseQuoted(text: string, line: number): LoggedRound {
    const cells = splitCsvLine(text);
    if (typeof cells === 'string') throw new FeedbackFormatError(this.file, line, undefined, cells);
    const width = this.header.length;
    if (cells.length !== width) throw new FeedbackFormatError(this.file, line, undefined, `has ${cells.length} fields, the header has ${width}`);
    this.builder.start(line);
    for (let column = 0; column < width; column++) this.generic(column, cells[column]!);
    return this.builder.build();
  }

  private generic(column: number, cell: string): void {
    this.builder.set(this.header[column]!, this.roles[column]!, cell);
  }

  /** text[start … end) as a string, the same string object each time for the column's first few distinct values. */
  private intern(column: number, text: string, start: number, end: number): string {
    const seen = this.interned[column]!;
    const k = find(seen, text, start, end);
    if (k >= 0) return seen[k]!;
    const value = text.slice(start, end);
    if (seen.length < INTERNED_PER_COLUMN) seen.push(value);
    return value;
  }

  /** `parseCell` of a context cell that is not a plain decimal (a level, a boolean, `1e3`), cached like `intern`. */
  private typedText(column: number, text: string, start: number, end: number): number | boolean | string {
    const seen = this.interned[column]!;
    const k = find(seen, text, start, end);
    if (k >= 0) return this.typedValues[column]![k]!;
    const cell = text.slice(start, end);
    const value = parseCell(cell);
    if (seen.length < INTERNED_PER_COLUMN) {
      seen.push(cell);
      this.typedValues[column]!.push(value);
    }
    return value;
  }
}

/** The index of text[start … end) in `seen`, or −1; compares in place. */
function find(seen: readonly string[], text: string, start: number, end: number): number {
  const length = end - start;
  for (let k = 0; k < seen.length; k++) {
    const candidate = seen[k]!;
    if (candidate.length === length && text.startsWith(candidate, start)) return k;
  }
  return -1;
}

function planOf(roles: readonly ColumnRole[]): Plan {
  if (roles.length !== 1) return Plan.Generic;
  const role = roles[0]!;
  switch (role.role) {
    case 'ignored':
      return Plan.Ignored;
    case 'action':
      return Plan.Action;
    case 'reward':
      return Plan.Reward;
    case 'propensity':
      return Plan.Propensity;
    case 'context':
      return role.categorical ? Plan.Categorical : Plan.Numeric;
    default:
      return Plan.Generic;
  }
}
