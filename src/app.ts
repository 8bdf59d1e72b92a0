import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { RewardRequest, ChooseRequest } from './api/api-types.js';
import { renderReferencePage } from './api/reference-page.js';
import { openApiDocument, validateBody, validateSchema } from './api/schema-validator.js';
import type { DecisionService } from './decisions/decision-service.js';
import type { DecisionStore } from './decisions/decision-store.js';
import { toDecisionView } from './decisions/decision-views.js';
import { errorHandler, notFound, notFoundHandler } from './errors.js';
import type { Metrics } from './metrics.js';
import type { RewardService } from './rewards/reward-service.js';
import type { SurfaceCatalog } from './surfaces/surface-catalog.js';

export interface AppDeps {
  decisions: DecisionService;
  rewards: RewardService;
  store: Pick<DecisionStore, 'findById' | 'rewardJoinCounts' | 'policyArmStatistics'>;
  surfaces: SurfaceCatalog;
  metrics: Metrics;
  logger: Logger;
  bodyLimitBytes: number;
  /** Whether each dependency answers now. */
  readiness: () => Promise<{ database: boolean; modelStore: boolean }>;
}

/** The Express app, without listening: tests drive it directly and `main` puts it on a port. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: deps.bodyLimitBytes }));
  const referencePage = renderReferencePage(openApiDocument());

  app.post('/choose', validateBody('ChooseRequest'), async (req, res) => {
    const request = req.body as ChooseRequest;
    const stopTimer = deps.metrics.decisionSeconds.startTimer();
    const response = await deps.decisions.choose(request);
    const labels = { surface: request.surface, policy: response.policy };
    stopTimer(labels);
    if (!response.replayed) deps.metrics.decisions.inc(labels);
    res.json(response);
  });

  app.post('/reward', validateBody('RewardRequest'), async (req, res) => {
    const { decisionId, reward } = req.body as RewardRequest;
    res.json(await deps.rewards.reward(decisionId, reward));
  });

  app.post('/decisions/:decisionId/activate', async (req, res) => {
    res.json(await deps.rewards.activate(validateSchema('DecisionId', req.params['decisionId'])));
  });

  app.get('/decisions/:decisionId', async (req, res) => {
    const id = validateSchema('DecisionId', req.params['decisionId']);
    const decision = await deps.store.findById(id);
    if (!decision) throw notFound('unknown_decision', `decision "${id}" does not exist`);
    res.json(toDecisionView(decision));
  });

  app.get('/surfaces', (_req, res) => {
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

  app.get('/surfaces/:surfaceId', async (req, res) => {
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

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const checks = await deps.readiness();
    const ready = checks.database && checks.modelStore;
    res.status(ready ? 200 : 503).json({ ready, checks });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  app.get('/docs', (_req, res) => {
    res.type('html').send(referencePage);
  });

  app.use(notFoundHandler);
  app.use(errorHandler({ onInternalError: (error, req) => deps.logger.error({ err: error, method: req.method, path: req.path }, 'request failed') }));
  return app;
}
