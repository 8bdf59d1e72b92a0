import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRound } from '../../src/evaluation/evaluation-types.js';
import { splitCsvLine } from '../../src/evaluation/inputs/csv-fields.js';
import { openActionTable } from '../../src/evaluation/inputs/read-action-table.js';
import { readLoggedFeedback } from '../../src/evaluation/inputs/read-logged-feedback.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'limelight-inputs-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function readAll(path: string): Promise<LoggedRound[]> {
  const rounds: LoggedRound[] = [];
  for await (const round of readLoggedFeedback(path)) rounds.push(round);
  return rounds;
}

describe('splitCsvLine', () => {
  it.each<[string, string[] | string]>([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,c', ['a', '', 'c']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['""', ['']],
    ['"open,x', 'unterminated quoted field 1'],
    ['"a"b,c', 'unexpected character after the closing quote of field 1'],
  ])('splits %j', (line, expected) => {
    expect(splitCsvLine(line)).toEqual(expected);
  });
});

describe('readLoggedFeedback', () => {
  it('reads the default CSV layout: every other column is a context feature, typed by its text', async () => {
    const path = await file('default.csv', 'action,reward,propensity,position,timestamp,hour,device,premium\na,1,0.5,2,2026-06-01T00:00:00Z,8,ios,true\nb,0,0.25,,,,web,false\n');
    expect(await readAll(path)).toEqual([
      { action: 'a', reward: 1, propensity: 0.5, position: 2, timestamp: new Date('2026-06-01T00:00:00Z'), context: { hour: 8, device: 'ios', premium: true } },
      { action: 'b', reward: 0, propensity: 0.25, context: { device: 'web', premium: false } },
    ]);
  });

  it('takes only the x_* columns as the context when there are any', async () => {
    const path = await file('prefixed.csv', 'timestamp,action,reward,propensity,policy_arm,x_hour,x_device\n2026-06-01T00:00:00.000Z,a,1,1,control,3,"tv, big"\n');
    expect(await readAll(path)).toEqual([{ action: 'a', reward: 1, propensity: 1, timestamp: new Date('2026-06-01T00:00:00Z'), context: { hour: 3, device: 'tv, big' } }]);
  });

  it('reads JSON Lines with the same columns, keeping JSON types', async () => {
    const path = await file('log.jsonl', '{"action":"a","reward":0.5,"propensity":0.1,"device":"ios","n":"7"}\n\n{"action":3,"reward":0,"propensity":1,"device":null}\n');
    expect(await readAll(path)).toEqual([
      { action: 'a', reward: 0.5, propensity: 0.1, context: { device: 'ios', n: '7' } },
      { action: '3', reward: 0, propensity: 1, context: {} },
    ]);
  });

  it('reads the Open Bandit Dataset layout: item_id, click, propensity_score; user features as strings; position in the context', async () => {
    const header = ',timestamp,item_id,position,click,propensity_score,user_feature_0,user_feature_1,user-item_affinity_0,user-item_affinity_1';
    const path = await file('obd.csv', `${header}\n0,2019-11-24 00:03:13.442536+00:00,14,3,0,0.029411764705882353,cef3,123,0.0,2.0\n`);
    expect(await readAll(path)).toEqual([
      {
        action: '14',
        reward: 0,
        propensity: 0.029411764705882353,
        position: 3,
        timestamp: new Date('2019-11-24T00:03:13.442Z'),
        context: { position: 3, user_feature_0: 'cef3', user_feature_1: '123', 'user-item_affinity_0': 0, 'user-item_affinity_1': 2 },
      },
    ]);
  });

  it.each<[string, string, string]>([
    ['missing.csv', 'action,reward\na,1\n', 'missing.csv:1: missing column "propensity" (the default layout needs action, reward and propensity; see docs/evaluation.md)'],
    ['zero.csv', 'action,reward,propensity\na,1,0.5\nb,1,0\n', 'zero.csv:3: column "propensity": must be a number in (0, 1], got "0"'],
    ['big.csv', 'action,reward,propensity\na,1,1.5\n', 'big.csv:2: column "propensity": must be a number in (0, 1], got "1.5"'],
    ['reward.csv', 'action,reward,propensity\na,yes,0.5\n', 'reward.csv:2: column "reward": must be a finite number, got "yes"'],
    ['action.csv', 'action,reward,propensity\n,1,0.5\n', 'action.csv:2: column "action": must be a non-empty action id'],
    ['position.csv', 'action,reward,propensity,position\na,1,0.5,0\n', 'position.csv:2: column "position": must be an integer ≥ 1, got "0"'],
    ['time.csv', 'action,reward,propensity,timestamp\na,1,0.5,yesterday\n', 'time.csv:2: column "timestamp": must be a date (ISO 8601) or epoch milliseconds, got "yesterday"'],
    ['width.csv', 'action,reward,propensity\na,1\n', 'width.csv:2: has 2 fields, the header has 3'],
    ['quote.csv', 'action,reward,propensity\n"a,1,0.5\n', 'quote.csv:2: unterminated quoted field 1'],
    ['empty.csv', '', 'empty.csv:1: the file is empty (no header line)'],
    ['bad.jsonl', '{"action":"a","reward":1,"propensity":1}\n[1]\n', 'bad.jsonl:2: each line must be a JSON object'],
    ['nested.jsonl', '{"action":"a","reward":1,"propensity":1,"x":{"y":1}}\n', 'nested.jsonl:1: column "x": must be a string, number, boolean or null'],
    ['absent.jsonl', '{"action":"a","reward":1,"propensity":1}\n{"action":"a","propensity":1}\n', 'absent.jsonl:2: column "reward": is missing'],
    ['log.txt', 'x', 'log.txt:0: unknown file type ".txt" (expected .csv, .jsonl or .ndjson)'],
  ])('rejects %s with the line and column', async (name, text, message) => {
    const path = await file(name, text);
    await expect(readAll(path)).rejects.toThrow(expect.objectContaining({ name: 'FeedbackFormatError', message: `${path.slice(0, -name.length)}${message}` }));
  });
});

describe('openActionTable', () => {
  async function rows(path: string, kind: 'probabilities' | 'predictions'): Promise<{ actions: readonly string[]; rows: number[][] }> {
    const table = await openActionTable(path, kind);
    const all: number[][] = [];
    for (let row = await table.rows.next(); !row.done; row = await table.rows.next()) all.push(Array.from(row.value));
    return { actions: table.actions, rows: all };
  }

  it('names actions 0…K−1 for an a_0 … a_{K−1} header, and by the header otherwise', async () => {
    expect(await rows(await file('indexed.csv', 'a_0,a_1\n0.25,0.75\n'), 'probabilities')).toEqual({ actions: ['0', '1'], rows: [[0.25, 0.75]] });
    expect(await rows(await file('named.csv', 'x,y\n-1,2\n'), 'predictions')).toEqual({ actions: ['x', 'y'], rows: [[-1, 2]] });
  });

  it.each<[string, string, string]>([
    ['sum.csv', 'a,b\n0.5,0.5\n0.5,0.6\n', 'sum.csv:3: target probabilities must sum to 1 (±0.000001), got 1.1'],
    ['negative.csv', 'a,b\n1.5,-0.5\n', 'negative.csv:2: column "b": must not be negative, got -0.5'],
    ['nan.csv', 'a,b\n1,x\n', 'nan.csv:2: column "b": must be a finite number, got "x"'],
    ['twice.csv', 'a,a\n1,0\n', 'twice.csv:1: column "a": appears twice in the header'],
  ])('rejects %s', async (name, text, message) => {
    const path = await file(name, text);
    await expect(rows(path, 'probabilities')).rejects.toThrow(`${path.slice(0, -name.length)}${message}`);
  });
});
