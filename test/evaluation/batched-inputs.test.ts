import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRound } from '../../src/evaluation/evaluation-types.js';
import { parseDecimal } from '../../src/evaluation/inputs/parse-decimal.js';
import { readLoggedFeedback } from '../../src/evaluation/inputs/read-logged-feedback.js';
import { batchesOf } from '../../src/evaluation/inputs/row-stream.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'limelight-batched-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('parseDecimal', () => {
  // Expected values are Number(text), the function's specification.
  it.each(['0', '1', '-0', '0.5', '5.', '.5', '00012', '-12.50', '0.3333333333333333', '123.456', '900719925474098', '0.1234567890123456'])(
    'reads %j exactly as Number does',
    (text) => {
      expect(Object.is(parseDecimal(`x,${text},y`, 2, 2 + text.length), Number(text))).toBe(true);
    },
  );

  it.each(['', '-', '.', '1e5', '+1', ' 1', '1 ', '0x10', 'NaN', 'Infinity', '1.2.3', '9007199254740990', '0.1234567890123456789012', '0.00000000000000000000001'])(
    'leaves %j to Number (NaN)',
    (text) => {
      expect(parseDecimal(text, 0, text.length)).toBeNaN();
    },
  );
});

describe('readLoggedFeedback fast path', () => {
  it('types unusual cells exactly as the general path does, quoted or not, across CRLF and blank lines', async () => {
    const path = join(dir, 'odd.csv');
    await writeFile(path, 'action,reward,propensity,n,flag,level\r\na,1e0,+0.5,1e3,true,x\r\n\r\n"b",-0,1, 2 ,false,"x"\r\nc,0.25,.5,-0,,y\r\n');
    const rounds: LoggedRound[] = [];
    for await (const round of readLoggedFeedback(path)) rounds.push(round);
    expect(rounds).toEqual([
      { action: 'a', reward: 1, propensity: 0.5, context: { n: 1000, flag: true, level: 'x' } },
      { action: 'b', reward: -0, propensity: 1, context: { n: 2, flag: false, level: 'x' } },
      { action: 'c', reward: 0.25, propensity: 0.5, context: { n: -0, level: 'y' } },
    ]);
  });

  it('hands over the same rounds in batches of at most 1,024, across 1 MiB chunks', async () => {
    const path = join(dir, 'long.csv');
    const rows = 60_000;
    const lines = Array.from({ length: rows }, (_, i) => `${i % 3},${i % 2},0.5,${(i % 1000) / 1000},seg${i % 7}`);
    await writeFile(path, `action,reward,propensity,x,segment\n${lines.join('\n')}\n`);
    const one: LoggedRound[] = [];
    for await (const round of readLoggedFeedback(path)) one.push(round);
    const batched: LoggedRound[] = [];
    let largest = 0;
    for await (const batch of batchesOf(readLoggedFeedback(path))) {
      largest = Math.max(largest, batch.length);
      batched.push(...batch);
    }
    expect(one).toHaveLength(rows);
    expect(batched).toEqual(one);
    expect(largest).toBe(1_024);
    // Row 59 999: action 59 999 mod 3 = 2, reward mod 2 = 1, x = 999 / 1000, segment mod 7 = 2.
    expect(one[59_999]).toEqual({ action: '2', reward: 1, propensity: 0.5, context: { x: 0.999, segment: 'seg2' } });
  });

  it('groups a plain async iterable too', async () => {
    async function* rows() {
      for (let i = 0; i < 2_500; i++) yield i;
    }
    const sizes: number[] = [];
    for await (const batch of batchesOf(rows())) sizes.push(batch.length);
    expect(sizes).toEqual([1_000, 1_000, 500]);
  });
});
