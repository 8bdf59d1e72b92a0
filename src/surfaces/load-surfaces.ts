import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildSurface, type Surface } from './surface.js';
import { createSurfaceCatalog, type SurfaceCatalog } from './surface-catalog.js';
import { SurfaceConfigError } from './surface-config-error.js';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Reads every surface file (`*.yaml`, `*.yml`, `*.json`) of `dir`, at start-up and on each reload. Any problem
 * stops the load: a service that silently skipped a broken file would serve a different experiment
 * than the one its authors reviewed.
 * @throws SurfaceConfigError naming the file and field; also when `dir` holds no surface file.
 */
export async function loadSurfaces(dir: string): Promise<SurfaceCatalog> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && EXTENSIONS.has(extname(entry.name)))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) {
    const patterns = [...EXTENSIONS].map((extension) => `*${extension}`).join(', ');
    throw new SurfaceConfigError(dir, [{ message: `no surface files (${patterns})` }]);
  }
  const files = new Map<string, string>();
  const surfaces: Surface[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const surface = buildSurface(parseFile(file, await readFile(file, 'utf8')), file);
    const { id } = surface.config;
    // The file name is how operators find a surface; an id that differs from it misleads them.
    const expected = name.slice(0, -extname(name).length);
    if (id !== expected) {
      const message = `must equal the file name '${expected}' (got '${id}')`;
      throw new SurfaceConfigError(file, [{ path: 'id', message }]);
    }
    const previous = files.get(id);
    if (previous !== undefined) {
      const message = `duplicate surface id '${id}' (also in ${previous})`;
      throw new SurfaceConfigError(file, [{ path: 'id', message }]);
    }
    files.set(id, file);
    surfaces.push(surface);
  }
  return createSurfaceCatalog(surfaces);
}

function parseFile(file: string, text: string): unknown {
  const format = extname(file) === '.json' ? 'JSON' : 'YAML';
  try {
    return format === 'JSON' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SurfaceConfigError(file, [{ message: `invalid ${format}: ${reason}` }]);
  }
}
