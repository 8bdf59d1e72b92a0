import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseReplayOptions, REPLAY_USAGE } from '../../src/cli/replay-options.js';
import { createPolicy } from '../../src/learners/create-policy.js';
import { readBanditStream } from '../../src/replay/bandit-stream.js';
import { replayStream } from '../../src/replay/replay-stream.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The first 3,000 rounds of the shared linear-synth stream (header + rows copied verbatim). */
const FIXTURE = 'test/fixtures/linear-synth-head.csv';
const run = promisify(execFile);

describe('parseReplayOptions', () => {
  const base = ['--stream', 's.csv'];

  it.each<[string[], unknown]>([
    [[...base, '--learner', 'uniform'], { stream: 's.csv', learner: { kind: 'uniform' }, seed: '0', format: 'table' }],
    [
      [...base, '--learner', 'linucb', '--alpha', '0.25', '--tie-break', 'lowest-index', '--lambda=2', '--epsilon', '0', '--gamma', '1'],
      { stream: 's.csv', learner: { kind: 'linucb', alpha: 0.25, lambda: 2, tieBreak: 'lowest-index', epsilon: 0, gamma: 1 }, seed: '0', format: 'table' },
    ],
    [[...base, '--learner', 'lints', '--v', '1', '--draws', '64'], { stream: 's.csv', learner: { kind: 'lints', v: 1, draws: 64 }, seed: '0', format: 'table' }],
    [[...base, '--learner', 'lints', '--alpha', '0.25'], { stream: 's.csv', learner: { kind: 'lints', v: 0.25 }, seed: '0', format: 'table' }],
    [
      [...base, '--learner', 'thompson', '--draws', '100', '--epsilon', '0.1', '--seed', 'abc', '--format', 'json'],
      { stream: 's.csv', learner: { kind: 'thompson', draws: 100, epsilon: 0.1 }, seed: 'abc', format: 'json' },
    ],
  ])('accepts %j', (argv, expected) => {
    expect(parseReplayOptions(argv)).toEqual(expected);
  });

  it.each([['--help'], ['-h'], ['--learner', 'nope', '--help']])('returns help for %j', (...argv) => {
    expect(parseReplayOptions(argv)).toBe('help');
  });

  it.each<[string[], string]>([
    [['--learner', 'uniform'], '--stream FILE is required'],
    [['--stream', '', '--learner', 'uniform'], '--stream needs a value'],
    [base, '--learner is required (one of linucb, lints, thompson, uniform)'],
    [[...base, '--learner', 'ucb1'], '--learner must be one of linucb, lints, thompson, uniform, got "ucb1"'],
    [[...base, '--learner', 'linucb', '--alpha', 'abc'], '--alpha must be a number ≥ 0, got "abc"'],
    [[...base, '--learner', 'linucb', '--alpha', '-1'], '--alpha must be a number ≥ 0, got "-1"'],
    [[...base, '--learner', 'linucb', '--alpha', ''], '--alpha needs a value'],
    [[...base, '--learner', 'linucb', '--alpha', 'Infinity'], '--alpha must be a number ≥ 0, got "Infinity"'],
    [[...base, '--learner', 'linucb', '--alpha'], '--alpha needs a value'],
    [[...base, '--learner', 'linucb', '--alpha', '1', '--alpha', '2'], '--alpha is given more than once'],
    [[...base, '--learner', 'linucb', '--lambda', '0'], '--lambda must be a number > 0, got "0"'],
    [[...base, '--learner', 'linucb', '--epsilon', '1.5'], '--epsilon must be a number in [0, 1], got "1.5"'],
    [[...base, '--learner', 'linucb', '--gamma', '0'], '--gamma must be a number in (0, 1], got "0"'],
    [[...base, '--learner', 'linucb', '--tie-break', 'random'], '--tie-break must be one of split, lowest-index, got "random"'],
    [[...base, '--learner', 'linucb', '--v', '1'], '--v does not apply to linucb (only to lints)'],
    [[...base, '--learner', 'linucb', '--draws', '10'], '--draws does not apply to linucb (only to lints, thompson)'],
    [[...base, '--learner', 'lints', '--v', '0'], '--v must be a number > 0, got "0"'],
    [[...base, '--learner', 'lints', '--alpha', '0'], '--alpha must be a number > 0, got "0"'],
    [[...base, '--learner', 'lints', '--v', '1', '--alpha', '1'], 'give either --v or --alpha (its MABWiser name) for lints, not both'],
    [[...base, '--learner', 'lints', '--draws', '2.5'], '--draws must be a positive integer, got "2.5"'],
    [[...base, '--learner', 'thompson', '--draws', '0'], '--draws must be a positive integer, got "0"'],
    [[...base, '--learner', 'thompson', '--alpha', '1'], '--alpha does not apply to thompson (only to linucb, lints)'],
    [[...base, '--learner', 'uniform', '--epsilon', '0.1'], '--epsilon does not apply to uniform (only to linucb, lints, thompson)'],
    [[...base, '--learner', 'uniform', '--format', 'csv'], '--format must be one of table, json, got "csv"'],
    [[...base, '--learner', 'uniform', '--bogus', '1'], 'unknown flag --bogus'],
    [[...base, '--learner', 'uniform', 'extra'], 'unexpected argument "extra"'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseReplayOptions(argv)).toThrow(expect.objectContaining({ name: 'UsageError', message }));
  });

  it('documents every flag in the help text', () => {
    for (const flag of ['--stream', '--learner', '--alpha', '--v', '--lambda', '--epsilon', '--gamma', '--draws', '--tie-break', '--seed', '--format', '--help']) {
      expect(REPLAY_USAGE).toContain(flag);
    }
  });
});

describe('replay CLI', () => {
  const cli = (...args: string[]) => run('npx', ['tsx', 'src/cli/replay.ts', ...args], { cwd: ROOT });

  it.each<[string[], Parameters<typeof createPolicy>[0]]>([
    [['--learner', 'linucb', '--alpha', '0.25', '--tie-break', 'lowest-index'], { kind: 'linucb', alpha: 0.25, tieBreak: 'lowest-index' }],
    [['--learner', 'lints', '--alpha', '1', '--draws', '64', '--seed', '7'], { kind: 'lints', v: 1, draws: 64 }],
  ])('prints as JSON what replayStream computes in-process for %j', async (args, config) => {
    const { stdout } = await cli('--stream', FIXTURE, '--format', 'json', ...args);
    const stream = await readBanditStream(`${ROOT}${FIXTURE}`);
    const seed = args.includes('--seed') ? args[args.indexOf('--seed') + 1]! : '0';
    const { chosenArms: _chosenArms, ...expected } = replayStream(stream, createPolicy(config, 11), seed);
    expect(JSON.parse(stdout)).toEqual(expected);
    expect(Object.keys(JSON.parse(stdout)).sort()).toEqual(
      ['averageExpectedReward', 'averageReward', 'lastQuarterAverageReward', 'pseudoRegret', 'regret', 'rounds'],
    );
  });

  it('exits with status 2 and a clear message on a bad flag value', async () => {
    await expect(cli('--stream', FIXTURE, '--learner', 'linucb', '--alpha', 'abc')).rejects.toMatchObject({
      code: 2,
      stderr: 'replay: --alpha must be a number ≥ 0, got "abc"\nRun with --help for usage.\n',
    });
  });

  it('exits with status 2 when the stream cannot be read', async () => {
    await expect(cli('--stream', 'test/fixtures/missing.csv', '--learner', 'uniform')).rejects.toMatchObject({ code: 2 });
  });

  it('prints the help text with status 0', async () => {
    const { stdout } = await cli('--help');
    expect(stdout.trim()).toBe(REPLAY_USAGE);
  });
});
