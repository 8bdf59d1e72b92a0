import { readFile } from 'node:fs/promises';

/**
 * A full-information bandit stream: per round a context and the reward of every arm, and optionally
 * every arm's expected reward. Columns `x_*` are the context (taken as given, no intercept added),
 * `r_*` the rewards, `p_*` the expected rewards.
 */
export interface BanditStream {
  /** The header names of the context columns, in column order. */
  contextNames: string[];
  contexts: Float64Array[];
  rewards: Float64Array[];
  expectedRewards?: Float64Array[];
  armCount: number;
}

/** Parses a stream from CSV text. @throws Error naming the line and column of a bad value. */
export function parseBanditStream(text: string): BanditStream {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const header = (lines[0] ?? '').split(',');
  const columns = (prefix: string) =>
    header.flatMap((name, index) => (name.startsWith(prefix) ? [index] : []));
  const contextColumns = columns('x_');
  const rewardColumns = columns('r_');
  const expectedColumns = columns('p_');
  if (contextColumns.length === 0 || rewardColumns.length === 0) {
    throw new Error('a bandit stream needs x_* context columns and r_* reward columns');
  }
  if (expectedColumns.length > 0 && expectedColumns.length !== rewardColumns.length) {
    throw new Error('p_* columns must match the r_* columns one for one');
  }
  const stream: BanditStream = {
    contextNames: contextColumns.map((index) => header[index]!),
    contexts: [],
    rewards: [],
    armCount: rewardColumns.length,
  };
  if (expectedColumns.length > 0) stream.expectedRewards = [];
  lines.slice(1).forEach((line, row) => {
    const cells = line.split(',');
    const pick = (indices: number[]) =>
      Float64Array.from(indices, (index) => {
        const value = Number(cells[index]);
        if (!Number.isFinite(value)) throw new Error(`line ${row + 2}, column ${header[index]}: not a finite number`);
        return value;
      });
    stream.contexts.push(pick(contextColumns));
    stream.rewards.push(pick(rewardColumns));
    stream.expectedRewards?.push(pick(expectedColumns));
  });
  return stream;
}

export async function readBanditStream(file: string): Promise<BanditStream> {
  return parseBanditStream(await readFile(file, 'utf8'));
}
