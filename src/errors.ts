import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { components } from './api/openapi-types.js';
import { isDatabaseUnavailable } from './db/connection-errors.js';

export type ErrorDetail = components['schemas']['ErrorDetail'];
export type ErrorBody = components['schemas']['Error'];

/**
 * An operational error: the request or the world is at fault, not the code. It carries everything
 * the error middleware renders, so handlers and services throw it and never touch the response.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    /** Response headers the status calls for, e.g. `WWW-Authenticate` on a 401 or `Retry-After` on a 429. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: readonly ErrorDetail[]): AppError =>
  new AppError(400, code, message, details);

export const notFound = (code: string, message: string): AppError => new AppError(404, code, message);

/** For a resource that existed but may no longer be acted on, e.g. a reward after its window. */
export const gone = (code: string, message: string): AppError => new AppError(410, code, message);

/** For a well-formed request that does not fit the target, e.g. a context against a surface's features. */
export const unprocessable = (code: string, message: string, details?: readonly ErrorDetail[]): AppError =>
  new AppError(422, code, message, details);

/** No valid API key; `challenge` is the `WWW-Authenticate` value (RFC 6750). */
export const unauthorized = (message: string, challenge = 'Bearer realm="limelight"'): AppError =>
  new AppError(401, 'unauthorized', message, [], { 'WWW-Authenticate': challenge });

/** A valid key outside its scopes or surfaces. */
export const forbidden = (message: string): AppError => new AppError(403, 'forbidden', message);

export const rateLimited = (retryAfterSeconds: number): AppError =>
  new AppError(429, 'rate_limited', `Too many requests for this API key; retry in ${retryAfterSeconds} s`, [], {
    'Retry-After': String(retryAfterSeconds),
  });

/** For a dependency that does not answer; the client may retry. */
export const serviceUnavailable = (code: string, message: string): AppError => new AppError(503, code, message);

/**
 * The errors `express.json()` raises (via `http-errors`), by their `type`. Their messages are safe
 * to show (`expose: true`) but their statuses need codes of our vocabulary.
 */
const BODY_PARSER_ERRORS: Readonly<Record<string, { status: number; code: string }>> = {
  'entity.parse.failed': { status: 400, code: 'invalid_json' },
  'entity.too.large': { status: 413, code: 'payload_too_large' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding' },
  'charset.unsupported': { status: 415, code: 'unsupported_charset' },
  'request.aborted': { status: 400, code: 'request_aborted' },
  'request.size.invalid': { status: 400, code: 'invalid_request_size' },
};

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  // Nothing was decided or recorded: the client may retry, and must not take it for a bug.
  if (isDatabaseUnavailable(error)) return serviceUnavailable('database_unavailable', 'The decision log is unavailable; nothing was recorded. Retry later.');
  if (typeof error !== 'object' || error === null || !('type' in error) || typeof error.type !== 'string') {
    return undefined;
  }
  const known = BODY_PARSER_ERRORS[error.type];
  if (known === undefined) return undefined;
  const message = error instanceof Error ? error.message : known.code;
  return new AppError(known.status, known.code, message);
}

export interface ErrorHandlerOptions {
  /** Called with every error that is not operational (a bug or an unexpected failure), to log it. */
  onInternalError?: (error: unknown, req: Request) => void;
}

/** What an error answers: its status, the headers its status calls for, and the JSON body. */
export interface ErrorResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: ErrorBody;
  /** Not operational (a bug or an unexpected failure) or a 5xx: to be logged. */
  logged: boolean;
}

/**
 * Every error as `{error: {code, message, details}}`. Unknown errors become a 500 with a generic
 * message: their text and stack may reveal internals and are for the log only.
 */
export function errorResponse(error: unknown): ErrorResponse {
  const appError = toAppError(error);
  if (appError === undefined) {
    return { status: 500, headers: {}, body: { error: { code: 'internal_error', message: 'Internal server error', details: [] } }, logged: true };
  }
  const { status, code, message, details, headers } = appError;
  return { status, headers, body: { error: { code, message, details: [...details] } }, logged: status >= 500 };
}

/** `errorResponse` as Express's error middleware. */
export function errorHandler(options: ErrorHandlerOptions = {}): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // Once the body has started, the status line is gone; only Express can abort the response.
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, headers, body, logged } = errorResponse(error);
    if (logged) options.onInternalError?.(error, req);
    res.set(headers);
    res.status(status).json(body);
  };
}

/** Mounted after every route, so an unknown path answers in the same JSON shape as other errors. */
export const notFoundHandler: RequestHandler = (req) => {
  throw notFound('route_not_found', `No route for ${req.method} ${req.path}`);
};
