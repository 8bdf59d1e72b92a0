import { Router } from 'express';
import type { components } from '../api/openapi-types.js';
import { validateBody, validateSchema } from '../api/schema-validator.js';
import type { ApiKey } from '../auth/api-key.js';
import type { ApiKeyService } from '../auth/api-key-service.js';
import { notFound, unprocessable } from '../errors.js';
import type { RebuiltPolicyArm } from '../model-state/rebuild-surface.js';
import type { SurfaceCatalog } from '../surfaces/surface-catalog.js';
import type { ReloadResponse } from './reload-config.js';

type Schemas = components['schemas'];

export interface AdminDeps {
  keys: ApiKeyService;
  surfaces: SurfaceCatalog;
  rebuildSurface: (surfaceId: string) => Promise<RebuiltPolicyArm[]>;
  /** Re-reads `POLICIES_DIR` and swaps this replica's configuration (`createConfigReloader`). */
  reload: () => Promise<ReloadResponse>;
}

/** `/admin/*`: key management, model rebuilds and config reloads. The caller mounts it behind the `admin` scope. */
export function createAdminRoutes(deps: AdminDeps): Router {
  const router = Router();

  router.post('/keys', validateBody('ApiKeyCreateRequest'), async (req, res) => {
    const request = req.body as Schemas['ApiKeyCreateRequest'];
    const unknown = (request.surfaces ?? []).flatMap((surface, index) =>
      deps.surfaces.get(surface) ? [] : [{ path: `surfaces[${index}]`, message: `surface "${surface}" does not exist` }],
    );
    if (unknown.length > 0) throw unprocessable('unknown_surface', 'A key can only be limited to existing surfaces', unknown);
    const { key, apiKey } = await deps.keys.create(request);
    const body: Schemas['CreatedApiKey'] = { key, apiKey: toView(apiKey) };
    res.status(201).json(body);
  });

  router.get('/keys', async (_req, res) => {
    const body: Schemas['ApiKeyList'] = { keys: (await deps.keys.list()).map(toView) };
    res.json(body);
  });

  router.delete('/keys/:keyId', async (req, res) => {
    const id = validateSchema('ApiKeyId', req.params['keyId']);
    const revoked = await deps.keys.revoke(id);
    if (!revoked) throw notFound('unknown_api_key', `API key "${id}" does not exist`);
    res.json(toView(revoked));
  });

  router.post('/rebuild', validateBody('RebuildRequest'), async (req, res) => {
    const { surface } = req.body as Schemas['RebuildRequest'];
    if (!deps.surfaces.get(surface)) throw notFound('unknown_surface', `surface "${surface}" does not exist`);
    const body: Schemas['RebuildResponse'] = { surface, policyArms: await deps.rebuildSurface(surface) };
    res.json(body);
  });

  router.post('/reload', async (_req, res) => {
    res.json(await deps.reload());
  });

  return router;
}

function toView(key: ApiKey): Schemas['ApiKey'] {
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopes,
    surfaces: key.surfaces,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
