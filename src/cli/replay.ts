import { basename } from 'node:path';
import { createPolicy } from '../learners/create-policy.js';
import { readBanditStream } from '../replay/bandit-stream.js';
import { replayStream, type ReplayResult } from '../replay/replay-stream.js';
import { UsageError } from './command-line.js';
import { parseReplayOptions, REPLAY_USAGE, type ReplayOptions } from './replay-options.js';

function parse(): ReplayOptions | 'help' {
  try {
    return parseReplayOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`replay: ${error.message}\nRun with --help for usage.`);
    process.exit(2);
  }
}

function table(options: ReplayOptions, result: ReplayResult): string {
  const rows: [string, string][] = [
    ['stream', basename(options.stream)],
    ['learner', JSON.stringify(options.learner)],
    ['seed', options.seed],
    ['rounds', String(result.rounds)],
    ['average reward', result.averageReward.toFixed(4)],
    ['last-quarter average reward', result.lastQuarterAverageReward.toFixed(4)],
    ['regret', String(result.regret)],
  ];
  if (result.averageExpectedReward !== undefined) rows.push(['average expected reward', result.averageExpectedReward.toFixed(4)]);
  if (result.pseudoRegret !== undefined) rows.push(['pseudo-regret', result.pseudoRegret.toFixed(1)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

const options = parse();
if (options === 'help') {
  console.log(REPLAY_USAGE);
} else {
  let stream;
  try {
    stream = await readBanditStream(options.stream);
  } catch (error) {
    console.error(`replay: cannot read --stream ${options.stream}: ${(error as Error).message}`);
    process.exit(2);
  }
  const dimension = stream.contexts[0]?.length ?? 0;
  const result = replayStream(stream, createPolicy(options.learner, dimension), options.seed);
  const { chosenArms: _chosenArms, ...summary } = result;
  console.log(options.format === 'json' ? JSON.stringify(summary) : table(options, result));
}
