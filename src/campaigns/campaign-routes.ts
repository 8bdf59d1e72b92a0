import { Router } from 'express';
import type { components } from '../api/openapi-types.js';
import { validateBody, validateSchema } from '../api/schema-validator.js';
import type { Auth } from '../auth/auth-middleware.js';
import { notFound } from '../errors.js';
import type { SurfaceCatalog } from '../surfaces/surface-catalog.js';
import type { ArmConfig, ArmOverride } from './campaign-arm.js';
import type { CampaignCatalog, ServedArm } from './campaign-catalog.js';
import type { CampaignSpend } from './campaign-spend.js';

export interface CampaignRoutesDeps {
  surfaces: SurfaceCatalog;
  catalog: CampaignCatalog;
  spend: (surfaceId: string) => Promise<CampaignSpend>;
}

/**
 * `POST /admin/surfaces/{id}/arms` and `PATCH /admin/surfaces/{id}/arms/{armId}` (the `admin` scope):
 * campaigns added, paused, ended or re-budgeted without a restart; `GET /surfaces/{id}/campaigns`
 * (the `read` scope): spend against budget, for the dashboard.
 */
export function createCampaignRoutes(deps: CampaignRoutesDeps, auth: Auth): Router {
  const router = Router();

  router.post('/admin/surfaces/:surfaceId/arms', auth.allow('admin'), validateBody('ArmConfig'), async (req, res) => {
    const surfaceId = validateSchema('SurfaceId', req.params['surfaceId']);
    res.status(201).json(toView(await deps.catalog.add(surfaceId, req.body as ArmConfig)));
  });

  router.patch('/admin/surfaces/:surfaceId/arms/:armId', auth.allow('admin'), validateBody('ArmOverrideRequest'), async (req, res) => {
    const surfaceId = validateSchema('SurfaceId', req.params['surfaceId']);
    const armId = validateSchema('ArmId', req.params['armId']);
    res.json(toView(await deps.catalog.update(surfaceId, armId, req.body as ArmOverride)));
  });

  router.get('/surfaces/:surfaceId/campaigns', auth.allow('read'), async (req, res) => {
    const surfaceId = req.params['surfaceId'] ?? '';
    auth.requireSurface(res, surfaceId);
    if (!deps.surfaces.get(surfaceId)) throw notFound('unknown_surface', `surface "${surfaceId}" does not exist`);
    res.json(await deps.spend(surfaceId));
  });

  return router;
}

function toView(arm: ServedArm): components['schemas']['CampaignArm'] {
  return { arm: arm.config, source: arm.source, paused: arm.paused };
}
