import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPE_USAGE, parseOpeOptions } from '../../src/evaluation/cli/ope-options.js';
import { runOpe } from '../../src/evaluation/cli/run-ope.js';
import { evaluateLog } from '../../src/evaluation/evaluate-log.js';
import { readLoggedFeedback } from '../../src/evaluation/inputs/read-logged-feedback.js';
import { fitCrossFittedRidge } from '../../src/evaluation/reward-model/cross-fitted-ridge.js';
import { openProbabilitiesTarget } from '../../src/evaluation/targets/probabilities-file-target.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOG = 'test/fixtures/evaluation/small-log.csv';
const TARGET = 'test/fixtures/evaluation/small-target.csv';
const run = promisify(execFile);
const cli = (...args: string[]) => run('npx', ['tsx', 'src/cli/ope.ts', ...args], { cwd: ROOT });

describe('parseOpeOptions', () => {
  const file = ['--log', 'log.csv'];
  const defaults = { command: 'evaluate', mode: 'ips-online', folds: 2, bootstrap: 1000, seed: '0', level: 0.95, format: 'table', estimators: [{ name: 'ips' }, { name: 'snips' }] };

  it.each<[string[], Record<string, unknown>]>([
    [[...file, '--target-probs', 't.csv'], { ...defaults, source: { kind: 'file', file: 'log.csv' }, targets: [{ kind: 'probabilities', file: 't.csv' }] }],
    [
      [...file, '--target-probs', 't.csv', '--qhat', 'q.csv', '--estimators', 'ips,dr,switch-dr:10', '--bootstrap', '0', '--seed', 's', '--level', '0.9', '--format', 'json', '--plot', 'p.svg'],
      {
        ...defaults,
        source: { kind: 'file', file: 'log.csv' },
        targets: [{ kind: 'probabilities', file: 't.csv' }],
        qhat: 'q.csv',
        estimators: [{ name: 'ips' }, { name: 'dr' }, { name: 'switch-dr', parameter: 10 }],
        bootstrap: 0,
        seed: 's',
        level: 0.9,
        format: 'json',
        plot: 'p.svg',
      },
    ],
    [
      ['--surface', 'home', '--from', '2026-06-01', '--to', '2026-06-02T00:00:00Z', '--policy-arm', 'control', '--policy', 'policies/home.yaml', '--target-policy-arm', 'linucb', '--mode', 'replay'],
      {
        ...defaults,
        source: { kind: 'decision-log', surface: 'home', from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-06-02T00:00:00Z'), policyArm: 'control' },
        targets: [{ kind: 'policy', file: 'policies/home.yaml' }],
        targetPolicyArm: 'linucb',
        mode: 'replay',
        estimators: [{ name: 'replay' }, { name: 'ips' }, { name: 'snips' }],
      },
    ],
    [
      ['compare', ...file, '--policy', 'a.yaml', '--policy', 'b.yaml', '--folds', '3', '--estimators', 'dm'],
      { ...defaults, command: 'compare', source: { kind: 'file', file: 'log.csv' }, targets: [{ kind: 'policy', file: 'a.yaml' }, { kind: 'policy', file: 'b.yaml' }], folds: 3, estimators: [{ name: 'dm' }] },
    ],
  ])('accepts %j', (argv, expected) => {
    expect(parseOpeOptions(argv)).toEqual(expected);
  });

  it.each([['--help'], ['-h'], ['--bogus', '--help']])('returns help for %j', (...argv) => {
    expect(parseOpeOptions(argv)).toBe('help');
  });

  const target = ['--target-probs', 't.csv'];
  it.each<[string[], string]>([
    [target, 'a source is required: --log FILE or --surface ID --from TIME --to TIME'],
    [file, 'a target is required: --target-probs FILE or --policy FILE'],
    [[...file, '--surface', 'home', ...target], 'give either --log or --surface, not both'],
    [[...file, '--from', '2026-06-01', ...target], '--from applies to --surface (the decision log), not to --log'],
    [['--surface', 'home', '--to', '2026-06-01', ...target], '--from TIME is required with --surface'],
    [['--surface', 'home', '--from', '2026-06-01T00:00:00', '--to', '2026-06-02', ...target], '--from must be an ISO 8601 date or time with a zone (e.g. 2026-06-01T00:00:00Z), got "2026-06-01T00:00:00"'],
    [['--surface', 'home', '--from', '2026-06-02', '--to', '2026-06-01', ...target], '--from must be before --to, got 2026-06-02T00:00:00.000Z and 2026-06-01T00:00:00.000Z'],
    [[...file, ...target, '--target-probs', 'u.csv'], 'several targets need the compare command: npm run ope -- compare …'],
    [[...file, ...target, '--mode', 'replay'], '--mode applies to --policy targets only'],
    [[...file, '--policy', 'a.yaml', '--mode', 'online'], '--mode must be one of ips-online, replay, got "online"'],
    [[...file, '--policy', 'a.yaml', '--estimators', 'replay'], 'the replay estimator needs --policy targets with --mode replay'],
    [[...file, ...target, '--estimators', 'ips,bogus'], '--estimators: estimator list item 2: unknown estimator "bogus"; known estimators: on-policy, ips, snips, clipped-ips, dm, dr, sndr, switch-dr, dros, replay'],
    [[...file, ...target, '--bootstrap', '-1'], '--bootstrap must be a whole number, got "-1"'],
    [[...file, ...target, '--level', '1'], '--level must be a number in (0, 1), got "1"'],
    [[...file, ...target, '--folds', '1'], '--folds must be an integer ≥ 2, got "1"'],
    [[...file, ...target, '--folds', '2', '--qhat', 'q.csv'], '--folds applies to the fitted reward model, not to --qhat'],
    [[...file, ...target, '--format', 'xml'], '--format must be one of table, json, csv, got "xml"'],
    [[...file, ...target, '--seed'], '--seed needs a value'],
    [[...file, ...target, '--seed', 'a', '--seed', 'b'], '--seed is given more than once'],
    [[...file, ...target, '--bogus', '1'], 'unknown flag --bogus'],
    [[...file, ...target, 'extra'], 'unexpected argument "extra"'],
    [['compare', 'compare', ...file, ...target], 'unexpected argument "compare"'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseOpeOptions(argv)).toThrow(expect.objectContaining({ name: 'UsageError', message }));
  });

  it('documents every flag in the help text', () => {
    for (const flag of ['--log', '--surface', '--from', '--to', '--policy-arm', '--target-probs', '--policy', '--target-policy-arm', '--mode', '--save-snapshot', '--qhat', '--folds', '--estimators', '--bootstrap', '--seed', '--level', '--format', '--plot', '--help', 'compare']) {
      expect(OPE_USAGE).toContain(flag);
    }
  });
});

describe('ope CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'limelight-ope-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints JSON equal to the library\'s result, and draws the plot', async () => {
    const plot = join(dir, 'plot.svg');
    const { stdout } = await cli('--log', LOG, '--target-probs', TARGET, '--estimators', 'ips,snips,dr', '--seed', 'cli', '--format', 'json', '--plot', plot);
    const source = () => readLoggedFeedback(join(ROOT, LOG));
    const expected = await evaluateLog(source, await openProbabilitiesTarget(TARGET), {
      estimators: [{ name: 'ips' }, { name: 'snips' }, { name: 'dr' }],
      bootstrap: 1000,
      seed: 'cli',
      level: 0.95,
      rewardModel: (await fitCrossFittedRidge(source))(),
    });
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(JSON.parse(stdout)).toMatchObject({ rows: 200, estimates: [{ estimator: 'ips' }, { estimator: 'snips' }, { estimator: 'dr' }] });
    const svg = await readFile(plot, 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg.match(/<circle /g)).toHaveLength(3);
  });

  it('prints a table by default, and csv on request', async () => {
    const table = (await cli('--log', LOG, '--target-probs', TARGET, '--bootstrap', '0')).stdout;
    expect(table).toContain(`policy ${TARGET} — 200 rounds`);
    expect(table).toMatch(/^snips +\d/m);
    const csv = (await cli('--log', LOG, '--target-probs', TARGET, '--bootstrap', '0', '--format', 'csv')).stdout.trim().split('\n');
    expect(csv[0]).toBe('policy,estimator,value,ci_low,ci_high,normal_ci_low,normal_ci_high,ess,max_weight,rows');
    expect(csv).toHaveLength(3);
  });

  it('compares several policy configs side by side on the same log, and saves a snapshot that evaluates frozen', async () => {
    const learner = join(dir, 'linucb.json');
    const uniform = join(dir, 'uniform.json');
    const features = [{ name: 'x', type: 'numeric' }, { name: 'segment', type: 'categorical', levels: ['new', 'returning'] }];
    const arms = ['arm-a', 'arm-b', 'arm-c'];
    await writeFile(learner, JSON.stringify({ learner: { kind: 'linucb', alpha: 0.5 }, features, arms }));
    await writeFile(uniform, JSON.stringify({ learner: { kind: 'uniform' }, features, arms }));
    const { stdout } = await cli('compare', '--log', LOG, '--policy', learner, '--policy', uniform, '--bootstrap', '100', '--format', 'json');
    const { policies } = JSON.parse(stdout) as { policies: Array<{ policy: string; rows: number; warnings: string[] }> };
    expect(policies.map((policy) => [policy.policy, policy.rows])).toEqual([
      [`${learner} linucb (ips-online)`, 200],
      [`${uniform} uniform (ips-online)`, 200],
    ]);
    expect(policies[0]!.warnings[0]).toMatch(/^ips-online: the target policy learned from the logging policy's choices/);

    const snapshot = join(dir, 'snapshot.json');
    await runOpe(parseOpeOptions(['--log', join(ROOT, LOG), '--policy', learner, '--save-snapshot', snapshot, '--bootstrap', '0']) as never, { database: () => Promise.reject(new Error('unused')) });
    const saved = JSON.parse(await readFile(snapshot, 'utf8')) as { learner: unknown; arms: Record<string, number[]> };
    expect(saved.learner).toEqual({ kind: 'linucb', alpha: 0.5 });
    expect(Object.keys(saved.arms)).toEqual(arms);
    const [frozen] = await runOpe(parseOpeOptions(['--log', join(ROOT, LOG), '--policy', snapshot, '--bootstrap', '0']) as never, { database: () => Promise.reject(new Error('unused')) });
    expect(frozen!.policy).toBe(`${snapshot} linucb (frozen)`);
    expect(frozen!.warnings).toEqual([]);
  });

  it.each<[string[], number, string]>([
    [['--log', LOG], 2, 'ope: a target is required: --target-probs FILE or --policy FILE'],
    [['--log', LOG, '--target-probs', TARGET, '--estimators', 'dr', '--qhat', LOG], 1, 'small-log.csv:2: column "timestamp": must be a finite number, got "2026-06-01T00:00:00.000Z"'],
    [['--log', 'test/fixtures/evaluation/README.md', '--target-probs', TARGET], 1, 'unknown file type ".md"'],
    [['--log', LOG, '--target-probs', 'test/fixtures/evaluation/missing.csv'], 1, 'ENOENT'],
  ])('exits with %j → status %i', async (args, status, message) => {
    const failure = (await cli(...args).then(() => undefined, (error: unknown) => error)) as { code: number; stderr: string } | undefined;
    expect(failure?.code).toBe(status);
    expect(failure?.stderr).toContain(message);
  });

  it('runs through the package bin with --help', async () => {
    const { stdout } = await run('npx', ['limelight-ope', '--help'], { cwd: ROOT });
    expect(stdout).toBe(`${OPE_USAGE}\n`);
  });
});
