import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRound } from '../../src/evaluation/inputs/round-source.js';
import { loadPolicyFile } from '../../src/evaluation/targets/load-policy-targets.js';
import { createPolicyTarget } from '../../src/evaluation/targets/policy-target.js';
import { openProbabilitiesTarget } from '../../src/evaluation/targets/probabilities-file-target.js';

const HOME = fileURLToPath(new URL('../../policies/home.yaml', import.meta.url));
const FEATURES = [{ name: 'x', type: 'numeric' as const }];
const ARMS = ['a', 'b', 'c'];
const round = (action: string, reward: number, extra: Partial<SourceRound> = {}): SourceRound => ({ action, reward, propensity: 1 / 3, context: { x: 1, ignored: 'yes' }, ...extra });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'limelight-targets-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('openProbabilitiesTarget', () => {
  it('serves one row per round and reports fewer or more rows than the log', async () => {
    const file = join(dir, 'probs.csv');
    await writeFile(file, 'a,b\n1,0\n0.5,0.5\n');
    const short = await openProbabilitiesTarget(file);
    expect(await short.next(round('a', 1))).toEqual({ actions: ['a', 'b'], probabilities: Float64Array.of(1, 0) });
    await expect(short.finish()).rejects.toThrow(`${file}:3: has more rows than the log's 1 rounds`);
    const long = await openProbabilitiesTarget(file);
    await long.next(round('a', 1));
    await long.next(round('a', 1));
    await expect(long.next(round('a', 1))).rejects.toThrow(`${file}:4: has 2 rows but the log has more rounds`);
  });
});

describe('createPolicyTarget', () => {
  it('replay: π_e is the seeded draw, and the policy learns only from matched rounds', () => {
    const target = createPolicyTarget({ label: 't', learner: { kind: 'linucb' }, features: FEATURES, arms: ARMS }, 'replay', 's');
    let matched = 0;
    for (let i = 0; i < 30; i++) {
      const { actions, probabilities } = target.next(round('a', 1));
      expect(actions).toBe(ARMS);
      expect(Array.from(probabilities).sort()).toEqual([0, 0, 1]);
      if (probabilities[0] === 1) matched++;
    }
    expect(matched).toBeGreaterThan(0);
    // Only arm a was ever logged, and only its matched rounds were learned.
    expect(target.policy.learner.arms()).toEqual(['a']);
    expect(target.warnings).toEqual([]);
  });

  it('ips-online: π_e is the full distribution over the logged candidates, learning from every round', () => {
    const target = createPolicyTarget({ label: 't', learner: { kind: 'uniform' }, features: FEATURES, arms: ARMS }, 'ips-online', 's');
    expect(target.next(round('b', 0, { candidates: ['a', 'b'] }))).toEqual({ actions: ['a', 'b'], probabilities: Float64Array.of(0.5, 0.5) });
    expect(target.label).toBe('t (ips-online)');
    expect(target.warnings[0]).toContain('learned from the logging policy\'s choices');
  });

  // Thompson's statistics per arm are [n, successes, failures]; arm a has 100 clicks in 100.
  it('frozen: loads the statistics and learns nothing; a wrong length is refused', () => {
    const learner = { kind: 'thompson' as const };
    const target = createPolicyTarget({ label: 't', learner, features: FEATURES, arms: ARMS, statistics: { a: [100, 100, 0] } }, 'frozen', 's');
    const { probabilities } = target.next(round('b', 1));
    expect(probabilities[0]).toBeGreaterThan(0.9);
    expect(Array.from(target.policy.learner.statistics('b'))).toEqual([0, 0, 0]);
    expect(() => createPolicyTarget({ label: 't', learner, features: FEATURES, arms: ARMS, statistics: { a: [1] } }, 'frozen', 's')).toThrow(
      't: statistics of arm "a" have length 1, the learner needs 3',
    );
  });
});

describe('loadPolicyFile', () => {
  it('reads every policy arm of a surface file, or the one named', async () => {
    const all = await loadPolicyFile(HOME);
    expect(all.kind).toBe('surface');
    expect(all.specs.map((spec) => spec.label)).toEqual(['home/linucb', 'home/lints', 'home/control']);
    const [linucb] = (await loadPolicyFile(HOME, 'linucb')).specs;
    expect(linucb).toMatchObject({ learner: { kind: 'linucb', alpha: 1, epsilon: 0.05 } });
    expect(linucb!.arms).toContain('podcast:morning-briefing');
  });

  it.each<[string, unknown, string | undefined, string]>([
    ['arm.json', null, 'nope', 'no policy arm "nope" (known: linucb, lints, control)'],
    ['bad-learner.json', { learner: { kind: 'ucb1' }, features: [], arms: ['a'] }, undefined, 'bad-learner.json: learner'],
    ['no-arms.json', { learner: { kind: 'uniform' }, features: [] }, undefined, 'arms: must be a list of arm ids (learner config) or an object of statistics per arm (snapshot)'],
    ['bad-stats.json', { learner: { kind: 'uniform' }, features: [], arms: { a: ['x'] } }, undefined, 'arms.a: must be a list of finite numbers'],
    ['arm-on-learner.json', { learner: { kind: 'uniform' }, features: [], arms: ['a'] }, 'x', '--target-policy-arm applies to surface files only'],
  ])('rejects %s', async (name, content, policyArm, message) => {
    const file = content === null ? HOME : join(dir, name);
    if (content !== null) await writeFile(file, JSON.stringify(content));
    await expect(loadPolicyFile(file, policyArm)).rejects.toThrow(expect.objectContaining({ name: 'SurfaceConfigError', message: expect.stringContaining(message) }));
  });
});
