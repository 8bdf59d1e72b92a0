import { hostname } from 'node:os';
import type { RequestListener } from 'node:http';
import express, { type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { RewardRequest } from './api/api-types.js';
import { renderReferencePage } from './api/reference-page.js';
import { jsonBody, jsonBodyReader } from './api/json-body.js';
import { securityHeaders } from './api/security-headers.js';
import { createAdminRoutes, type AdminDeps } from './admin/admin-routes.js';
import type { Auth } from './auth/auth-middleware.js';
import { openApiDocument, validateBody, validateSchema } from './api/schema-validator.js';
import type { DecisionService } from './decisions/decision-service.js';
import type { DecisionStore } from './decisions/decision-store.js';
import { toDecisionView } from './decisions/decision-views.js';
import { chooseRoute, isChooseRequest } from './choose-route.js';
import { errorHandler, notFound, notFoundHandler } from './errors.js';
import type { Metrics } from './metrics.js';
import type { RewardService } from './rewards/reward-service.js';
import type { SurfaceCatalog } from './surfaces/surface-catalog.js';
import type { Surface } from './surfaces/surface.js';
import type { ReportRequest } from './reports/build-report.js';
import { parseReportQuery } from './reports/report-query.js';
import type { Report } from './reports/report-types.js';
import { dashboardRoutes } from './dashboard/dashboard-routes.js';

export interface AppDeps {
  decisions: DecisionService;
  rewards: RewardService;
  store: Pick<DecisionStore, 'findById' | 'rewardJoinCounts' | 'policyArmStatistics'>;
  surfaces: SurfaceCatalog;
  metrics: Metrics;
  logger: Logger;
  bodyLimitBytes: number;
  auth: Auth;
  /** Campaign admin (`/admin/surfaces/…/arms`) and spend (`/surfaces/…/campaigns`) routes, each behind its scope. */
  campaigns: RequestHandler;
  admin: AdminDeps;
  /** False when `/metrics` has a port of its own (METRICS_PORT). */
  serveMetrics: boolean;
  /** The policy-arm comparison of a surface (`buildReport` on the service's database). */
  report: (surface: Surface, request: ReportRequest) => Promise<Report>;
  /** Whether each dependency answers now. */
  readiness: () => Promise<{ database: boolean; modelStore: boolean }>;
}

/**
 * The service's request listener, without listening: `POST /choose` on its own route (`chooseRoute`),
 * every other request on the Express app.
 */
export function createApp(deps: AppDeps): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  // Every JSON answer is computed per request, and most are to POSTs: a SHA-1 ETag of each body bought
  // no revalidation and cost 3 % of `/choose`'s CPU. Static dashboard files keep theirs (express.static).
  app.disable('etag');
  const headers = securityHeaders();
  const readBody = jsonBodyReader(deps.bodyLimitBytes);
  const { allow, requireSurface } = deps.auth;
  const choose = chooseRoute({ ...deps, readBody });

  app.use(headers);
  // Every route that takes a body needs a key, so an anonymous client never gets a body parsed.
  app.use((req, res, next) => (SAFE_METHODS.has(req.method) ? next() : deps.auth.authenticate(req, res, next)));
  app.use(jsonBody(readBody));
  /** 403 when the key is limited to surfaces and the decision is on another; an unknown id is left to the handler. */
  const requireDecisionSurface = async (res: Response, id: string) => {
    if (!deps.auth.isSurfaceLimited(res)) return;
    const decision = await deps.store.findById(id);
    if (decision) requireSurface(res, decision.surface);
  };
  const referencePage = renderReferencePage(openApiDocument());

  app.post('/reward', allow('decide'), validateBody('RewardRequest'), async (req, res) => {
    const { decisionId, reward } = req.body as RewardRequest;
    await requireDecisionSurface(res, decisionId);
    res.json(await deps.rewards.reward(decisionId, reward));
  });

  app.post('/decisions/:decisionId/activate', allow('decide'), async (req, res) => {
    const id = validateSchema('DecisionId', req.params['decisionId']);
    await requireDecisionSurface(res, id);
    res.json(await deps.rewards.activate(id));
  });

  app.get('/decisions/:decisionId', allow('decide'), async (req, res) => {
    const id = validateSchema('DecisionId', req.params['decisionId']);
    await requireDecisionSurface(res, id);
    const decision = await deps.store.findById(id);
    if (!decision) throw notFound('unknown_decision', `decision "${id}" does not exist`);
    res.json(toDecisionView(decision));
  });

  app.get('/surfaces', allow('read'), (_req, res) => {
    res.json({
      surfaces: deps.surfaces.list().map(({ config, configVersion }) => ({
        id: config.id,
        name: config.name,
        ...(config.description === undefined ? {} : { description: config.description }),
        configVersion,
        arms: config.arms.length,
        policyArms: config.policyArms.map(({ id, share }) => ({ id, share })),
      })),
    });
  });

  app.get('/surfaces/:surfaceId', allow('read'), async (req, res) => {
    requireSurface(res, req.params['surfaceId'] ?? '');
    const surface = deps.surfaces.get(req.params['surfaceId'] ?? '');
    if (!surface) throw notFound('unknown_surface', `surface "${req.params['surfaceId']}" does not exist`);
    const [policyArms, rewardJoin] = await Promise.all([
      deps.store.policyArmStatistics(surface.config.id),
      deps.store.rewardJoinCounts(surface.config.id),
    ]);
    res.json({
      config: surface.config,
      configVersion: surface.configVersion,
      featureSchemaVersion: surface.featureSchemaVersion,
      statistics: { policyArms: policyArms.map(({ policyArm, ...rest }) => ({ policy: policyArm, ...rest })) },
      rewardJoin,
    });
  });

  app.get('/surfaces/:surfaceId/report', allow('read'), async (req, res) => {
    requireSurface(res, req.params['surfaceId'] ?? '');
    const surface = deps.surfaces.get(req.params['surfaceId'] ?? '');
    if (!surface) throw notFound('unknown_surface', `surface "${req.params['surfaceId']}" does not exist`);
    res.json(await deps.report(surface, parseReportQuery(req.query)));
  });

  app.use('/dashboard', dashboardRoutes());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', replica: `${hostname()}:${process.pid}` });
  });

  app.get('/readyz', async (_req, res) => {
    const checks = await deps.readiness();
    const ready = checks.database && checks.modelStore;
    res.status(ready ? 200 : 503).json({ ready, checks });
  });

  if (deps.serveMetrics) app.get('/metrics', metricsHandler(deps.metrics));

  app.use(deps.campaigns);

  app.use('/admin', allow('admin'), createAdminRoutes(deps.admin));

  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  app.get('/docs', (_req, res) => {
    res.type('html').send(referencePage);
  });

  app.use(notFoundHandler);
  app.use(errorHandler({ onInternalError: (error, req) => deps.logger.error({ err: error, method: req.method, path: req.path }, 'request failed') }));
  return (req, res) => (isChooseRequest(req) ? choose(req, res) : app(req, res));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Prometheus' scrape endpoint, on the API's port or on METRICS_PORT. */
export function metricsHandler(metrics: Metrics): RequestHandler {
  return async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
