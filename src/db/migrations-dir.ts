import { fileURLToPath } from 'node:url';

/** The project's `migrations/` folder, found from this file so that it works from any working directory. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
