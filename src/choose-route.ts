import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ChooseRequest } from './api/api-types.js';
import type { JsonBodyReader } from './api/json-body.js';
import { schemaValidator } from './api/schema-validator.js';
import { securityHeaderList } from './api/security-headers.js';
import type { Auth } from './auth/auth-middleware.js';
import type { DecisionService } from './decisions/decision-service.js';
import { errorResponse } from './errors.js';
import type { Metrics } from './metrics.js';

export interface ChooseRouteDeps {
  decisions: DecisionService;
  metrics: Metrics;
  logger: Logger;
  auth: Pick<Auth, 'authorize' | 'checkSurface'>;
  readBody: JsonBodyReader;
}

/** The paths Express would route to `/choose`: any case, an optional trailing slash, any query string. */
const CHOOSE_PATH = /^\/choose\/?(\?|$)/i;

/** Whether a request is `POST /choose`, which `chooseRoute` answers instead of the Express app. */
export function isChooseRequest(req: IncomingMessage): boolean {
  return req.method === 'POST' && CHOOSE_PATH.test(req.url ?? '');
}

/**
 * `POST /choose`, on the render path of every surface, answered on Node.js's request and response
 * themselves rather than through Express: the same steps as the app's routes — security headers, an
 * API key with the `decide` scope, the JSON body, the `ChooseRequest` schema, the key's surfaces — and
 * the same answers and `{error}` bodies, without Express's per-request work (prototype swaps of the
 * request and response, the router's layer walk, `res.json`'s content negotiation), which cost more
 * CPU per decision in `npm run bench:http` than the decision itself.
 */
export function chooseRoute(deps: ChooseRouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const validate = schemaValidator('ChooseRequest');
  return (req, res) => {
    // Only a failure to write the answer itself lands here: the connection is all that is left to end.
    answer(deps, validate, req, res).catch((error: unknown) => {
      logFailure(deps.logger, req, error);
      res.destroy();
    });
  };
}

function logFailure(logger: Logger, req: IncomingMessage, error: unknown): void {
  logger.error({ err: error, method: req.method, path: req.url }, 'request failed');
}

async function answer(
  deps: ChooseRouteDeps,
  validate: (body: unknown) => ChooseRequest,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const principal = await deps.auth.authorize(req.headers.authorization, 'decide');
    const request = validate(await deps.readBody(req, res));
    deps.auth.checkSurface(principal, request.surface);
    const stopTimer = deps.metrics.decisionSeconds.startTimer();
    const response = await deps.decisions.choose(request);
    const labels = { surface: request.surface, policy: response.policy };
    stopTimer(labels);
    if (!response.replayed && response.arm !== null) deps.metrics.decisions.inc(labels);
    sendJson(res, 200, response);
  } catch (error) {
    const { status, headers, body, logged } = errorResponse(error);
    if (logged) logFailure(deps.logger, req, error);
    sendJson(res, status, body, headers);
  }
}

/** The security headers and JSON's content type, as `writeHead`'s flat list of names and values. */
let baseHeaders: string[] | undefined;

/** Writes `body` as JSON with the headers every answer of the service carries, as `res.json` would. */
function sendJson(res: ServerResponse, status: number, body: unknown, extra: Readonly<Record<string, string>> = {}): void {
  baseHeaders ??= [...securityHeaderList().flat(), 'Content-Type', 'application/json; charset=utf-8'];
  const json = JSON.stringify(body);
  const headers = [...baseHeaders, 'Content-Length', String(Buffer.byteLength(json))];
  for (const [name, value] of Object.entries(extra)) headers.push(name, value);
  res.writeHead(status, headers);
  res.end(json);
}
