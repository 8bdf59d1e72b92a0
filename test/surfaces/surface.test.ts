import { describe, expect, it } from 'vitest';
import { buildSurface, type SurfaceConfig } from '../../src/surfaces/surface.js';
import { SurfaceConfigError } from '../../src/surfaces/surface-config-error.js';
import { versionHash } from '../../src/surfaces/version-hash.js';

const config: SurfaceConfig = {
  id: 'search',
  name: 'Search',
  arms: [
    { id: 'album:top', kind: 'music' },
    { id: 'podcast:top', kind: 'podcast' },
  ],
  features: [
    { name: 'query_intent', type: 'categorical', levels: ['artist', 'podcast', 'unknown'], default: 'unknown' },
    { name: 'query_length', type: 'numeric', standardize: { mean: 12, std: 7 } },
  ],
  reward: { type: 'continuous', min: 0, max: 1, attributionWindowSeconds: 86400, default: 0 },
  randomization: 'request',
  policyArms: [
    { id: 'linucb', share: 0.9, learner: { kind: 'linucb', alpha: 1, epsilon: 0.05 } },
    { id: 'control', share: 0.1, learner: { kind: 'uniform' } },
  ],
};

/** The same object with the keys of every nested object in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, entry]) => [key, reverseKeys(entry)]));
}

describe('versionHash', () => {
  it('hashes the canonical JSON: sorted keys, array order kept', () => {
    // printf '%s' '{"a":"x","b":[2,{"c":null,"d":1}]}' | sha256sum  (GNU coreutils 9.1) → 31025fcdfe859410…
    expect(versionHash({ b: [2, { d: 1, c: null }], a: 'x' })).toBe('31025fcdfe859410');
    expect(versionHash({ a: 'x', b: [{ c: null, d: 1 }, 2] })).not.toBe('31025fcdfe859410');
  });
});

describe('buildSurface', () => {
  const surface = buildSurface(config, 'search.yaml');

  it('fingerprints the config and its feature schema in 16 hex digits', () => {
    expect(surface.configVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(surface.featureSchemaVersion).toBe(versionHash(config.features));
    expect(surface.configVersion).toBe(versionHash(config));
  });

  it('keeps both versions when only the key order changes', () => {
    const reordered = buildSurface(reverseKeys(config), 'search.yaml');
    expect(JSON.stringify(reordered.config)).not.toBe(JSON.stringify(config));
    expect(reordered.configVersion).toBe(surface.configVersion);
    expect(reordered.featureSchemaVersion).toBe(surface.featureSchemaVersion);
  });

  it('changes the config version, but not the feature schema version, when shares or exploration change', () => {
    const [linucb, control] = config.policyArms;
    const retuned = buildSurface(
      { ...config, policyArms: [{ ...linucb, share: 0.8, learner: { kind: 'linucb', alpha: 2 } }, { ...control, share: 0.2 }] },
      'search.yaml',
    );
    expect(retuned.configVersion).not.toBe(surface.configVersion);
    expect(retuned.featureSchemaVersion).toBe(surface.featureSchemaVersion);
  });

  it('changes both versions when the features change', () => {
    const [intent, length] = config.features;
    for (const features of [[length, intent], [intent], [{ ...intent, levels: ['artist', 'podcast', 'unknown', 'mood'] }, length]]) {
      const changed = buildSurface({ ...config, features }, 'search.yaml');
      expect(changed.featureSchemaVersion).not.toBe(surface.featureSchemaVersion);
      expect(changed.configVersion).not.toBe(surface.configVersion);
    }
  });

  it('throws a SurfaceConfigError naming the source and every field at fault', () => {
    expect(() => buildSurface({ ...config, name: 3, randomization: 'session' }, 'search.yaml')).toThrow(
      new SurfaceConfigError('search.yaml', [
        { path: 'name', message: 'must be string' },
        { path: 'randomization', message: 'must be one of: user, request' },
      ]),
    );
    expect(() => buildSurface({ ...config, name: 3 }, 'search.yaml')).toThrow('search.yaml: name: must be string');
  });
});
