import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileWriter, parquetWriteRows } from 'hyparquet-writer';
import type { Database } from '../../db/database.js';
import { csvField } from '../inputs/csv-fields.js';
import { decisionLogCondition, readDecisionLog, type DecisionLogFilter, type LoggedDecision } from '../inputs/read-decision-log.js';

export type ExportFormat = 'csv' | 'jsonl' | 'parquet';

/** Rows per parquet row group: bounds the memory of the parquet export (the writer buffers one group). */
export const PARQUET_ROW_GROUP = 50_000;

type ContextType = 'number' | 'boolean' | 'string';

/**
 * Writes the decision log of a filter in the logged-feedback layout that `readLoggedFeedback` reads:
 * columns `timestamp`, `action`, `reward`, `propensity`, then one `x_<feature>` column per context key
 * (sorted), so the reader takes exactly the `x_*` columns as the context. Streamed from a server-side
 * cursor: CSV and JSON Lines row by row, parquet in row groups of `PARQUET_ROW_GROUP` rows. A context
 * key whose values are all numbers (or all booleans) keeps that type; any other is written as text.
 * @returns the number of rows written.
 */
export async function exportDecisionLog(db: Database, filter: DecisionLogFilter, format: ExportFormat, file: string): Promise<number> {
  const keys = await contextKeys(db, filter);
  const rows = readDecisionLog(db, filter);
  if (format === 'parquet') return writeParquet(rows, keys, file);
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  let count = 0;
  try {
    if (format === 'csv') await write(['timestamp', 'action', 'reward', 'propensity', ...keys.map(([key]) => csvField(`x_${key}`))].join(','));
    for await (const round of rows) {
      await write(format === 'csv' ? csvLine(round, keys) : JSON.stringify(flatRow(round, keys)));
      count++;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
}

/** Every context key of the filter's rows with the JSON type of its values ('string' when mixed). */
async function contextKeys(db: Database, filter: DecisionLogFilter): Promise<Array<[string, ContextType]>> {
  const { condition, params } = decisionLogCondition(filter);
  const { rows } = await db.query<{ key: string; types: string[] }>(
    `SELECT entry.key, array_agg(DISTINCT jsonb_typeof(entry.value)) AS types
       FROM decisions, jsonb_each(context) AS entry
      WHERE ${condition} AND jsonb_typeof(entry.value) <> 'null'
      GROUP BY entry.key ORDER BY entry.key`,
    params,
  );
  return rows.map(({ key, types }) => [key, types.length === 1 && (types[0] === 'number' || types[0] === 'boolean') ? types[0] : 'string']);
}

function flatRow(round: LoggedDecision, keys: ReadonlyArray<[string, ContextType]>): Record<string, unknown> {
  const row: Record<string, unknown> = { timestamp: round.timestamp.toISOString(), action: round.action, reward: round.reward, propensity: round.propensity };
  for (const [key, type] of keys) {
    const value = round.context[key];
    row[`x_${key}`] = value === undefined || value === null ? null : type === 'string' ? String(value) : value;
  }
  return row;
}

function csvLine(round: LoggedDecision, keys: ReadonlyArray<[string, ContextType]>): string {
  const cells = [round.timestamp.toISOString(), csvField(round.action), String(round.reward), String(round.propensity)];
  for (const [key] of keys) {
    const value = round.context[key];
    cells.push(value === undefined || value === null ? '' : csvField(String(value)));
  }
  return cells.join(',');
}

async function writeParquet(rows: AsyncIterable<LoggedDecision>, keys: ReadonlyArray<[string, ContextType]>, file: string): Promise<number> {
  let count = 0;
  async function* flat() {
    for await (const round of rows) {
      count++;
      yield { ...flatRow(round, keys), timestamp: round.timestamp };
    }
  }
  const parquetType = { number: 'DOUBLE', boolean: 'BOOLEAN', string: 'STRING' } as const;
  await parquetWriteRows({
    writer: fileWriter(file),
    rows: flat(),
    rowGroupSize: PARQUET_ROW_GROUP,
    columns: [
      { name: 'timestamp', type: 'TIMESTAMP', nullable: false },
      { name: 'action', type: 'STRING', nullable: false },
      { name: 'reward', type: 'DOUBLE', nullable: false },
      { name: 'propensity', type: 'DOUBLE', nullable: false },
      ...keys.map(([key, type]) => ({ name: `x_${key}`, type: parquetType[type], nullable: true })),
    ],
  });
  return count;
}
