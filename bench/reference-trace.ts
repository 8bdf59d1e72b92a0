import { readFile } from 'node:fs/promises';

/**
 * Reads a LinUCB reference trace (`round,arm,reward` with a header; rounds 0, 1, … in order) into the
 * arm chosen in each round. @throws Error naming the line of a malformed row.
 */
export async function readReferenceTrace(file: string): Promise<Int32Array> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((line) => line.length > 0);
  return Int32Array.from(lines.slice(1), (line, row) => {
    const [round, arm] = line.split(',').map(Number);
    if (round !== row || !Number.isInteger(arm)) throw new Error(`${file}, line ${row + 2}: expected round ${row} and an arm index`);
    return arm!;
  });
}

/** How many rounds agree with the trace (over the rounds both cover), and the first round that departs (-1 if none). */
export function traceAgreement(chosen: Int32Array, trace: Int32Array): { agreeing: number; firstDeparture: number } {
  const rounds = Math.min(chosen.length, trace.length);
  let agreeing = 0;
  let firstDeparture = -1;
  for (let t = 0; t < rounds; t++) {
    if (chosen[t] === trace[t]) agreeing++;
    else if (firstDeparture < 0) firstDeparture = t;
  }
  return { agreeing, firstDeparture };
}
