import { extname } from 'node:path';
import type { LoggedRound } from '../evaluation-types.js';
import { splitCsvLine } from './csv-fields.js';
import { CsvRoundParser } from './csv-round-parser.js';
import { FeedbackFormatError } from './feedback-format-error.js';
import { detectFeedbackLayout, type ColumnRole } from './feedback-layout.js';
import { lineText, readLineBatches } from './read-lines.js';
import { RoundBuilder, type Cell } from './round-builder.js';
import { rowStream, type RowStream } from './row-stream.js';

/**
 * Streams the rounds of a logged-feedback file, one row per round, in file order: CSV (`.csv`) with a
 * header line, or JSON Lines (`.jsonl`, `.ndjson`) with one flat object per line. The columns follow the
 * default or the Open Bandit Dataset layout (`detectFeedbackLayout`), detected from the CSV header or the
 * first JSON object. A CSV context cell is a number when it parses as one, `true`/`false` a boolean,
 * otherwise a string; an empty cell (or JSON `null`) leaves the feature out, so the encoder's default applies.
 * `batches()` hands the rounds over about a thousand at a time, parsed synchronously from 1 MiB chunks.
 * @throws FeedbackFormatError naming the line and column of the first bad value.
 */
export function readLoggedFeedback(file: string): RowStream<LoggedRound> {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return rowStream(() => readCsv(file));
  if (extension === '.jsonl' || extension === '.ndjson') return rowStream(() => readJsonLines(file));
  return rowStream(() => {
    throw new FeedbackFormatError(file, 0, undefined, `unknown file type "${extension}" (expected .csv, .jsonl or .ndjson)`);
  });
}

/**
 * Rounds per batch handed on. Small enough that a batch's rounds die young (a whole chunk's rounds would
 * outlive the young generation and be copied and promoted by the garbage collector), large enough that
 * the one `await` per batch costs nothing.
 */
const ROUNDS_PER_BATCH = 1_024;

async function* readCsv(file: string): AsyncGenerator<LoggedRound[]> {
  let parser: CsvRoundParser | undefined;
  for await (const batch of readLineBatches(file)) {
    const { text, starts, ends, lines } = batch;
    let k = 0;
    if (!parser) {
      const line = lines[0]!;
      const header = splitCsvLine(lineText(batch, 0));
      if (typeof header === 'string') throw new FeedbackFormatError(file, line, undefined, header);
      const layout = detectFeedbackLayout(header);
      if (typeof layout === 'string') throw new FeedbackFormatError(file, line, undefined, layout);
      parser = new CsvRoundParser(file, layout, header, header.map((name) => layout.roles(name)));
      k = 1;
    }
    parser.startChunk();
    while (k < lines.length) {
      const rounds: LoggedRound[] = [];
      const last = Math.min(lines.length, k + ROUNDS_PER_BATCH);
      for (; k < last; k++) rounds.push(parser.parse(text, starts[k]!, ends[k]!, lines[k]!));
      yield rounds;
    }
  }
  if (!parser) throw new FeedbackFormatError(file, 1, undefined, 'the file is empty (no header line)');
}

async function* readJsonLines(file: string): AsyncGenerator<LoggedRound[]> {
  let builder: RoundBuilder | undefined;
  const roles = new Map<string, ColumnRole[]>();
  for await (const batch of readLineBatches(file)) {
    const { lines } = batch;
    let rounds: LoggedRound[] = [];
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k]!;
      let value: unknown;
      try {
        value = JSON.parse(lineText(batch, k));
      } catch (error) {
        throw new FeedbackFormatError(file, line, undefined, `invalid JSON: ${(error as Error).message}`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new FeedbackFormatError(file, line, undefined, 'each line must be a JSON object');
      }
      const row = value as Record<string, unknown>;
      if (!builder) {
        const detected = detectFeedbackLayout(Object.keys(row));
        if (typeof detected === 'string') throw new FeedbackFormatError(file, line, undefined, detected);
        builder = new RoundBuilder(file, detected, true);
      }
      builder.start(line);
      for (const name in row) {
        const cell = row[name];
        if (cell !== null && typeof cell === 'object') {
          throw new FeedbackFormatError(file, line, name, 'must be a string, number, boolean or null');
        }
        let columnRoles = roles.get(name);
        if (!columnRoles) roles.set(name, (columnRoles = builder.layout.roles(name)));
        builder.set(name, columnRoles, cell as Cell);
      }
      rounds.push(builder.build());
      if (rounds.length === ROUNDS_PER_BATCH) {
        yield rounds;
        rounds = [];
      }
    }
    if (rounds.length > 0) yield rounds;
  }
}
