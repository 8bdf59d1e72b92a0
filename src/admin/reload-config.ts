import { relative } from 'node:path';
import type { components } from '../api/openapi-types.js';
import type { CampaignCatalog } from '../campaigns/campaign-catalog.js';
import { badRequest } from '../errors.js';
import type { LiveModel, ModelCache } from '../model-state/model-cache.js';
import { loadSurfaces } from '../surfaces/load-surfaces.js';
import type { SurfaceCatalog, ReloadableSurfaceCatalog } from '../surfaces/surface-catalog.js';
import { SurfaceConfigError } from '../surfaces/surface-config-error.js';

export type ReloadResponse = components['schemas']['ReloadResponse'];

export interface ReloadConfigDeps {
  policiesDir: string;
  surfaces: ReloadableSurfaceCatalog;
  models: Pick<ModelCache, 'prepare'>;
  campaigns: { catalog: Pick<CampaignCatalog, 'surfacesReloaded'>; seedSpend(surfaceIds: readonly string[]): Promise<void> };
  /** Keys the model store lost and this replica serves from its last snapshot (Redis with recovery). */
  lostModels?: () => ReadonlySet<string>;
  /** Brings a model this replica did not serve into the store first (the in-process store: from the log). */
  restoreNew?: (model: LiveModel) => Promise<unknown>;
  /** Called once the new configuration serves. */
  onReloaded?: () => void;
}

/**
 * `POST /admin/reload` in this replica: validates every surface file, loads the models of the new
 * configuration, and only then swaps surfaces, models and campaign arms in one synchronous step, so a
 * request sees either the old configuration or the new one, never a mix. Any failure before the swap
 * (a bad file, the model store down) leaves the running configuration as it was. Reloads run one at a time.
 * @returns a function that reloads; it throws AppError 400 `invalid_surface_config` naming file and field.
 */
export function createConfigReloader(deps: ReloadConfigDeps): () => Promise<ReloadResponse> {
  let previous: Promise<unknown> = Promise.resolve();
  return () => {
    const reload = previous.then(() => reloadOnce(deps));
    previous = reload.catch(() => undefined);
    return reload;
  };
}

async function reloadOnce(deps: ReloadConfigDeps): Promise<ReloadResponse> {
  const next = await loadSurfaces(deps.policiesDir).catch((error: unknown) => {
    throw error instanceof SurfaceConfigError ? invalidConfig(error, deps.policiesDir) : error;
  });
  const { install } = await deps.models.prepare(next.list(), {
    ...(deps.lostModels ? { lost: deps.lostModels() } : {}),
    ...(deps.restoreNew ? { restoreNew: deps.restoreNew } : {}),
  });
  const changed = changedSurfaces(deps.surfaces, next);
  install();
  deps.surfaces.replace(next);
  deps.campaigns.catalog.surfacesReloaded();
  deps.onReloaded?.();
  await deps.campaigns.seedSpend(changed.filter((id) => next.get(id)));
  return {
    surfaces: next.list().map(({ config, configVersion, featureSchemaVersion }) => ({ id: config.id, configVersion, featureSchemaVersion })),
    changed,
  };
}

/** Ids added, removed, or with a new config version, sorted. */
function changedSurfaces(current: SurfaceCatalog, next: SurfaceCatalog): string[] {
  const ids = new Set([...current.list(), ...next.list()].map((surface) => surface.config.id));
  return [...ids].filter((id) => current.get(id)?.configVersion !== next.get(id)?.configVersion).sort();
}

/** Files are named relative to POLICIES_DIR: the client needs the file, not where the server keeps it. */
function invalidConfig(error: SurfaceConfigError, policiesDir: string) {
  const file = relative(policiesDir, error.file) || '.';
  return badRequest(
    'invalid_surface_config',
    `${file} is not a valid surface file; the running configuration is unchanged`,
    error.issues.map(({ path, message }) => ({
      ...(path === undefined ? {} : { path }),
      message: `${file}: ${path === undefined ? '' : `${path}: `}${message}`,
    })),
  );
}
