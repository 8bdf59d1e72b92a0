import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDecisionStore } from '../../src/decisions/postgres-decision-store.js';
import { parseExportOptions } from '../../src/evaluation/cli/export-options.js';
import type { LoggedRound } from '../../src/evaluation/evaluation-types.js';
import { exportDecisionLog, type ExportFormat } from '../../src/evaluation/export/export-decision-log.js';
import { readDecisionLog, type DecisionLogFilter, type LoggedDecision } from '../../src/evaluation/inputs/read-decision-log.js';
import { readLoggedFeedback } from '../../src/evaluation/inputs/read-logged-feedback.js';
import { newDecision } from '../decisions/new-decision.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/test-database.js';

const START = Date.parse('2030-01-10T12:00:00.000Z');
const FILTER: DecisionLogFilter = { surface: 'homepage', from: new Date(START), to: new Date(START + 86_400_000) };
const ROWS = 120;

describe.each(testBackends())('the decision-log reader and export on %s', (backend) => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    dir = await mkdtemp(join(tmpdir(), 'limelight-export-'));
    const store = new PostgresDecisionStore(database.db);
    const decisions = Array.from({ length: ROWS }, (_, i) =>
      newDecision({
        decidedAt: new Date(START + i * 1000),
        policyArm: i % 2 === 0 ? 'control' : 'thompson-a',
        // Context keys vary by row; one is a string that looks like a number, one a boolean.
        context: { country: i % 3 === 0 ? 'NL' : 'DE, north', visits: i, ...(i % 4 === 0 ? { premium: i % 8 === 0 } : {}) },
        arm: ['a', 'b', 'c'][i % 3]!,
        propensity: [0.1, 0.2, 0.7000000000000001][i % 3]!,
        // The last rows: deferred and never activated (not learnable), or never rewarded.
        deferred: i >= ROWS - 5,
      }),
    );
    await store.insertMany(decisions);
    for (const [i, decision] of decisions.entries()) {
      if (i < ROWS - 10 || i >= ROWS - 5) await store.recordReward(decision.id, (i * 7) % 3 === 0 ? 1 : 0, new Date(START + i * 1000 + 10));
    }
  });
  afterAll(async () => {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function logged(filter = FILTER, batch?: number): Promise<LoggedDecision[]> {
    const rounds: LoggedDecision[] = [];
    for await (const round of readDecisionLog(database.db, filter, batch)) rounds.push(round);
    return rounds;
  }

  it('streams the rewarded, learnable rows in time order, in batches, with their logged distributions', async () => {
    const all = await logged(FILTER, 7);
    expect(all).toHaveLength(ROWS - 10);
    expect(all.map((round) => round.timestamp.getTime())).toEqual(Array.from({ length: ROWS - 10 }, (_, i) => START + i * 1000));
    expect(all[1]).toEqual({
      context: { country: 'DE, north', visits: 1 },
      action: 'b',
      reward: 0,
      propensity: 0.2,
      timestamp: new Date(START + 1000),
      candidates: ['a', 'b', 'c'],
      probabilities: { a: 0.1, b: 0.2, c: 0.7000000000000001 },
      policyArm: 'thompson-a',
    });
    expect((await logged({ ...FILTER, policyArm: 'control' })).every((round) => round.policyArm === 'control')).toBe(true);
    expect(await logged({ ...FILTER, to: new Date(START + 3000) })).toHaveLength(3);
  });

  it('closes the cursor\'s transaction when the reader stops early', async () => {
    for await (const round of readDecisionLog(database.db, FILTER, 5)) {
      expect(round.action).toBe('a');
      break;
    }
    expect((await logged()).length).toBe(ROWS - 10);
  });

  const withoutExtras = ({ context, action, reward, propensity, timestamp }: LoggedRound) => ({ context, action, reward, propensity, timestamp });

  it.each<[ExportFormat, string]>([
    ['csv', 'log.csv'],
    ['jsonl', 'log.jsonl'],
  ])('exports %s that the logged-feedback reader reads back as the same rounds', async (format, name) => {
    const file = join(dir, `${backend}-${name}`);
    expect(await exportDecisionLog(database.db, FILTER, format, file)).toBe(ROWS - 10);
    const back: LoggedRound[] = [];
    for await (const round of readLoggedFeedback(file)) back.push(round);
    expect(back).toEqual((await logged()).map(withoutExtras));
    if (format === 'csv') expect((await readFile(file, 'utf8')).split('\n')[0]).toBe('timestamp,action,reward,propensity,x_country,x_premium,x_visits');
  });

  it('exports parquet, in row groups, that hyparquet reads back as the same rows', async () => {
    const file = join(dir, `${backend}-log.parquet`);
    expect(await exportDecisionLog(database.db, FILTER, 'parquet', file)).toBe(ROWS - 10);
    const buffer = await readFile(file);
    const rows = await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) });
    const expected = (await logged()).map((round) => ({
      timestamp: round.timestamp,
      action: round.action,
      reward: round.reward,
      propensity: round.propensity,
      x_country: round.context['country'],
      x_premium: round.context['premium'] ?? null,
      x_visits: round.context['visits'],
    }));
    expect(rows).toEqual(expected);
  });
});

describe('parseExportOptions', () => {
  const base = ['--surface', 'home', '--from', '2026-06-01', '--to', '2026-06-02'];
  it('takes the format from the extension unless given', () => {
    expect(parseExportOptions([...base, '--out', 'x.parquet'])).toEqual({
      filter: { surface: 'home', from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-06-02T00:00:00Z') },
      format: 'parquet',
      out: 'x.parquet',
    });
    expect(parseExportOptions([...base, '--out', 'x.txt', '--format', 'jsonl', '--policy-arm', 'control'])).toMatchObject({ format: 'jsonl', filter: { policyArm: 'control' } });
  });

  it.each<[string[], string]>([
    [['--out', 'x.csv'], '--surface ID is required'],
    [base, '--out FILE is required'],
    [[...base, '--out', 'x.txt'], 'cannot tell the format from "x.txt": give --format csv|jsonl|parquet'],
    [[...base, '--out', 'x.csv', '--format', 'xlsx'], '--format must be one of csv, jsonl, parquet, got "xlsx"'],
    [['--surface', 'home', '--from', '2026-06-02', '--to', '2026-06-01', '--out', 'x.csv'], '--from must be before --to, got 2026-06-02T00:00:00.000Z and 2026-06-01T00:00:00.000Z'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseExportOptions(argv)).toThrow(expect.objectContaining({ name: 'UsageError', message }));
  });
});
