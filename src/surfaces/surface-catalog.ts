import type { Surface } from './surface.js';

/** The surfaces the service decides for, fixed for the lifetime of the process. */
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
