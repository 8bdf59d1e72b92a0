import type { Surface } from './surface.js';

/**
 * The surfaces the service decides for. `POST /admin/reload` may replace them: look a surface up when
 * it is needed rather than keeping what an earlier call returned.
 */
export interface SurfaceCatalog {
  get(id: string): Surface | undefined;
  /** In the order they were given (by file name when loaded from `policies/`). */
  list(): readonly Surface[];
}

/** @throws Error when two surfaces share an id (the loader reports that with file names first). */
export function createSurfaceCatalog(surfaces: readonly Surface[]): SurfaceCatalog {
  const byId = new Map(surfaces.map((surface) => [surface.config.id, surface]));
  if (byId.size !== surfaces.length) throw new Error('createSurfaceCatalog: duplicate surface ids');
  const list = [...surfaces];
  return { get: (id) => byId.get(id), list: () => list };
}

/**
 * The one catalog every component of a replica holds. `replace` swaps the whole set in one step, so a
 * reload reaches the decision and reward services, the sweeper, reports, campaigns and the auth checks
 * at once and none of them changes.
 */
export class ReloadableSurfaceCatalog implements SurfaceCatalog {
  constructor(private current: SurfaceCatalog) {}

  get(id: string): Surface | undefined {
    return this.current.get(id);
  }

  list(): readonly Surface[] {
    return this.current.list();
  }

  replace(next: SurfaceCatalog): void {
    this.current = next;
  }
}
