import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSurfaces } from '../../src/surfaces/load-surfaces.js';
import type { SurfaceConfig } from '../../src/surfaces/surface.js';
import { SurfaceConfigError } from '../../src/surfaces/surface-config-error.js';

/** A minimal sound surface; each case below breaks one rule of it. */
function validConfig(): SurfaceConfig {
  return {
    id: 'home',
    name: 'Home',
    arms: [
      { id: 'podcast:a', kind: 'podcast' },
      { id: 'album:b', kind: 'music' },
      { id: 'campaign:c', kind: 'campaign', start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' },
    ],
    features: [
      { name: 'hour_of_day', type: 'numeric', standardize: { mean: 11.5, std: 6.92 } },
      { name: 'device', type: 'categorical', levels: ['ios', 'android', 'web'], default: 'web' },
      { name: 'premium', type: 'boolean', default: false },
    ],
    reward: { type: 'binary', attributionWindowSeconds: 1800, default: 0 },
    randomization: 'user',
    policyArms: [
      { id: 'linucb', share: 0.45, learner: { kind: 'linucb', alpha: 1, epsilon: 0.05 } },
      { id: 'lints', share: 0.45, learner: { kind: 'lints', v: 0.25, epsilon: 0.05 } },
      { id: 'control', share: 0.1, learner: { kind: 'uniform' } },
    ],
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'surfaces-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(): Promise<SurfaceConfigError> {
  const error: unknown = await loadSurfaces(dir).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof SurfaceConfigError)) throw new Error(`expected a SurfaceConfigError, got ${String(error)}`);
  return error;
}

describe('loadSurfaces', () => {
  it('loads the demo surfaces in policies/', async () => {
    const catalog = await loadSurfaces('policies');
    expect(catalog.list().map((surface) => surface.config.id)).toEqual(['browse', 'home', 'search']);
    expect(catalog.get('search')?.config.reward).toMatchObject({ type: 'continuous', min: 0, max: 1 });
    expect(catalog.get('nope')).toBeUndefined();
  });

  it('loads YAML and JSON files alike and ignores other files', async () => {
    await writeFile(join(dir, 'home.yaml'), stringify(validConfig()));
    await writeFile(join(dir, 'browse.json'), JSON.stringify({ ...validConfig(), id: 'browse' }));
    await writeFile(join(dir, 'README.md'), '# not a surface');
    const catalog = await loadSurfaces(dir);
    expect(catalog.list().map((surface) => surface.config.id)).toEqual(['browse', 'home']);
    expect(catalog.get('browse')?.featureSchemaVersion).toBe(catalog.get('home')?.featureSchemaVersion);
  });

  it.each<[string, (config: SurfaceConfig) => unknown, string]>([
    // Schema violations (openapi.yaml#/components/schemas/SurfaceConfig)
    ['an unknown top-level key', (c) => ({ ...c, polcyArms: [] }), 'polcyArms: is not allowed'],
    ['a missing reward', ({ reward: _, ...rest }) => rest, 'reward: is required'],
    ['a bad arm kind', (c) => ({ ...c, arms: [{ id: 'x', kind: 'podcst' }] }), 'arms[0].kind: must be one of: music, podcast, audiobook, video, campaign'],
    ['no arms', (c) => ({ ...c, arms: [] }), 'arms: must NOT have fewer than 1 items'],
    ['a malformed date', (c) => ({ ...c, arms: [{ id: 'x', kind: 'music', start: 'tomorrow' }] }), 'arms[0].start: must match format "date-time"'],
    ['a feature name with capitals', (c) => ({ ...c, features: [{ name: 'hourOfDay', type: 'numeric' }] }), 'features[0].name: must match pattern "^[a-z][a-z0-9_]{0,62}$"'],
    ['an unknown feature type', (c) => ({ ...c, features: [{ name: 'x', type: 'text' }] }), 'features[0].type: must be one of: numeric, boolean, categorical'],
    ['a zero std', (c) => ({ ...c, features: [{ name: 'x', type: 'numeric', standardize: { mean: 0, std: 0 } }] }), 'features[0].standardize.std: must be > 0'],
    ['duplicate levels', (c) => ({ ...c, features: [{ name: 'x', type: 'categorical', levels: ['a', 'a'] }] }), 'features[0].levels: must NOT have duplicate items (items ## 1 and 0 are identical)'],
    ['a NaN share', (c) => ({ ...c, policyArms: [{ ...c.policyArms[0], share: Number.NaN }] }), 'policyArms[0].share: must be number'],
    ['a zero share', (c) => ({ ...c, policyArms: [{ ...c.policyArms[0], share: 0 }] }), 'policyArms[0].share: must be > 0'],
    ['a learner option of another kind', (c) => ({ ...c, policyArms: [{ id: 'p', share: 1, learner: { kind: 'linucb', draws: 10 } }] }), 'policyArms[0].learner.draws: is not allowed'],
    ['an epsilon above 1', (c) => ({ ...c, policyArms: [{ id: 'p', share: 1, learner: { kind: 'lints', epsilon: 1.5 } }] }), 'policyArms[0].learner.epsilon: must be <= 1'],
    ['a fractional number of draws', (c) => ({ ...c, policyArms: [{ id: 'p', share: 1, learner: { kind: 'thompson', draws: 2.5 } }] }), 'policyArms[0].learner.draws: must be integer'],
    ['an unknown learner', (c) => ({ ...c, policyArms: [{ id: 'p', share: 1, learner: { kind: 'greedy' } }] }), 'policyArms[0].learner.kind: must be one of: thompson, lints, linucb, uniform'],
    ['a window over 30 days', (c) => ({ ...c, reward: { ...c.reward, attributionWindowSeconds: 2592001 } }), 'reward.attributionWindowSeconds: must be <= 2592000'],
    // Semantic rules (src/surfaces/surface-config-issues.ts)
    ['duplicate arm ids', (c) => ({ ...c, arms: [...c.arms, { id: 'album:b', kind: 'music' }] }), "arms[3].id: duplicate arm id 'album:b' (first at arms[1])"],
    ['duplicate feature names', (c) => ({ ...c, features: [...c.features, { name: 'device', type: 'boolean' }] }), "features[3].name: duplicate feature name 'device' (first at features[1])"],
    ['duplicate policy-arm ids', (c) => ({ ...c, policyArms: [{ ...c.policyArms[0], share: 0.5 }, { ...c.policyArms[0], share: 0.5 }] }), "policyArms[1].id: duplicate policy arm id 'linucb' (first at policyArms[0])"],
    ['shares summing to 0.95', (c) => ({ ...c, policyArms: [c.policyArms[0], { ...c.policyArms[1], share: 0.5 }] }), 'policyArms[1].share: shares must sum to 1 (got 0.95)'],
    ['shares summing to 1.1', (c) => ({ ...c, policyArms: [...c.policyArms, { id: 'extra', share: 0.1, learner: { kind: 'uniform' } }] }), 'policyArms[3].share: shares must sum to 1 (got 1.1)'],
    ['a categorical default outside its levels', (c) => ({ ...c, features: [{ name: 'device', type: 'categorical', levels: ['ios', 'web'], default: 'tv' }] }), "features[0].default: must be one of the levels ios, web (got 'tv')"],
    ['a binary default of 0.5', (c) => ({ ...c, reward: { ...c.reward, default: 0.5 } }), 'reward.default: must be 0 or 1 for a binary reward (got 0.5)'],
    ['a binary reward with a range', (c) => ({ ...c, reward: { ...c.reward, max: 1 } }), 'reward.max: must be omitted: a binary reward is 0 or 1'],
    ['a continuous reward without max', (c) => ({ ...c, reward: { type: 'continuous', min: 0, attributionWindowSeconds: 60, default: 0 } }), 'reward.max: is required for a continuous reward'],
    ['a continuous reward with min = max', (c) => ({ ...c, reward: { type: 'continuous', min: 1, max: 1, attributionWindowSeconds: 60, default: 1 } }), 'reward.max: must be greater than min 1 (got 1)'],
    ['a continuous default out of range', (c) => ({ ...c, reward: { type: 'continuous', min: 0, max: 1, attributionWindowSeconds: 60, default: -1 } }), 'reward.default: must be within [0, 1] (got -1)'],
    ['an arm ending before it starts', (c) => ({ ...c, arms: [{ id: 'x', kind: 'campaign', start: '2026-02-01T00:00:00Z', end: '2026-01-01T00:00:00Z' }] }), 'arms[0].end: must be after start 2026-02-01T00:00:00Z (got 2026-01-01T00:00:00Z)'],
    ['thompson on a reward beyond [0, 1]', (c) => ({ ...c, reward: { type: 'continuous', min: 0, max: 5, attributionWindowSeconds: 60, default: 0 }, policyArms: [{ id: 'p', share: 1, learner: { kind: 'thompson' } }] }), 'policyArms[0].learner.kind: thompson needs a binary reward or one within [0, 1]'],
    ['an arm with an empty window', (c) => ({ ...c, arms: [{ id: 'x', kind: 'campaign', start: '2026-02-01T00:00:00Z', end: '2026-02-01T00:00:00Z' }] }), 'arms[0].end: must be after start 2026-02-01T00:00:00Z (got 2026-02-01T00:00:00Z)'],
    // File-level rules (src/surfaces/load-surfaces.ts)
    ['an id other than the file name', (c) => ({ ...c, id: 'homepage' }), "id: must equal the file name 'home' (got 'homepage')"],
  ])('rejects %s, naming the file and field', async (_case, mutate, expected) => {
    await writeFile(join(dir, 'home.yaml'), stringify(mutate(validConfig())));
    const error = await loadError();
    expect(error.message).toBe(`${join(dir, 'home.yaml')}: ${expected}`);
    expect(error.file).toBe(join(dir, 'home.yaml'));
  });

  it('lists every problem of a file, one per line', async () => {
    const config = validConfig();
    await writeFile(join(dir, 'home.yaml'), stringify({ ...config, reward: { ...config.reward, default: 2 }, policyArms: [config.policyArms[0]] }));
    const error = await loadError();
    const file = join(dir, 'home.yaml');
    expect(error.message).toBe(
      [`${file}: reward.default: must be 0 or 1 for a binary reward (got 2)`, `${file}: policyArms[0].share: shares must sum to 1 (got 0.45)`].join('\n'),
    );
  });

  it('rejects a file that is not valid YAML', async () => {
    await writeFile(join(dir, 'home.yaml'), 'id: home\nid: again\n');
    expect((await loadError()).message).toMatch(new RegExp(`^${escapeRegExp(join(dir, 'home.yaml'))}: invalid YAML: Map keys must be unique`));
  });

  it('rejects a file that is not valid JSON', async () => {
    await writeFile(join(dir, 'home.json'), '{"id": "home",}');
    expect((await loadError()).message).toMatch(new RegExp(`^${escapeRegExp(join(dir, 'home.json'))}: invalid JSON: `));
  });

  it('rejects an empty file as not an object', async () => {
    await writeFile(join(dir, 'home.yml'), '');
    expect((await loadError()).message).toBe(`${join(dir, 'home.yml')}: must be object`);
  });

  it('rejects two files declaring the same surface', async () => {
    await writeFile(join(dir, 'home.json'), JSON.stringify(validConfig()));
    await writeFile(join(dir, 'home.yaml'), stringify(validConfig()));
    expect((await loadError()).message).toBe(`${join(dir, 'home.yaml')}: id: duplicate surface id 'home' (also in ${join(dir, 'home.json')})`);
  });

  it('rejects a directory without surface files', async () => {
    expect((await loadError()).message).toBe(`${dir}: no surface files (*.yaml, *.yml, *.json)`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
