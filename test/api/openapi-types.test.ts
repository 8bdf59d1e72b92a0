import { readFile } from 'node:fs/promises';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { components } from '../../src/api/openapi-types.js';
import type { FeatureSpec } from '../../src/learners/feature-spec.js';
import type { LearnerConfig } from '../../src/learners/learner-config.js';

const root = new URL('../../', import.meta.url);

describe('src/api/openapi-types.ts', () => {
  it('is what openapi-typescript generates from openapi.yaml (run `npm run gen:api` when this fails)', async () => {
    // Same steps as the CLI behind `gen:api`: header + printed AST, default options.
    const generated = COMMENT_HEADER + astToString(await openapiTS(new URL('openapi.yaml', root), { silent: true }));
    const committed = await readFile(new URL('src/api/openapi-types.ts', root), 'utf8');
    expect(committed === generated, 'src/api/openapi-types.ts is stale: run `npm run gen:api`').toBe(true);
  });

  it('describes learners and features exactly as the learners module declares them', () => {
    expectTypeOf<components['schemas']['LearnerConfig']>().toEqualTypeOf<LearnerConfig>();
    expectTypeOf<components['schemas']['FeatureSpec']>().toEqualTypeOf<FeatureSpec>();
  });
});
