import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

const PUBLIC_DIR = fileURLToPath(new URL('./public', import.meta.url));
/** uPlot's own build, served from the installed package so the page loads nothing from another origin. */
const UPLOT_DIST = dirname(createRequire(import.meta.url).resolve('uplot'));
const UPLOT_FILES = ['uPlot.iife.min.js', 'uPlot.min.css'];

/**
 * The product managers' dashboard: a static page and its script (`public/`), plus the two uPlot files
 * it uses. The page reads everything through the API (`/surfaces`, `/surfaces/{id}/report`), so it has
 * no routes of its own beyond its files and needs no database access.
 */
export function dashboardRoutes(): Router {
  const router = express.Router();
  for (const file of UPLOT_FILES) {
    router.get(`/uplot/${file}`, (_req, res) => {
      res.sendFile(join(UPLOT_DIST, file));
    });
  }
  router.use(express.static(PUBLIC_DIR, { index: 'index.html' }));
  return router;
}
