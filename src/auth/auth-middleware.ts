import type { RequestHandler, Response } from 'express';
import { forbidden, rateLimited, unauthorized } from '../errors.js';
import type { Scope } from './api-key.js';
import type { ApiKeyService, Principal } from './api-key-service.js';
import type { TokenBucketLimiter } from './token-bucket-limiter.js';

/** `Bearer <key>`; a key is printable ASCII, and far longer ones are refused before hashing. */
const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

export interface Auth {
  /**
   * The principal of an `Authorization` header value that may act with `scope`: for routes served
   * outside Express (`/choose`). @throws AppError 401 without a valid key, 429 over its rate, 403 without the scope.
   */
  authorize(header: string | undefined, scope: Scope): Promise<Principal>;
  /** 403 unless `principal` may act on `surface`. */
  checkSurface(principal: Principal, surface: string): void;
  /** Resolves the request's key into its principal (401 without a valid one, 429 over its rate). */
  authenticate: RequestHandler;
  /** `authenticate`, then 403 unless the key has `scope`. Typed for the route paths' named parameters. */
  allow(scope: Scope): RequestHandler<Record<string, string>>;
  /** 403 unless the authenticated key may act on `surface`. */
  requireSurface(res: Response, surface: string): void;
  /** Whether the authenticated key is limited to some surfaces (so a handler must look one up). */
  isSurfaceLimited(res: Response): boolean;
}

export function createAuth({ keys, limiter }: { keys: ApiKeyService; limiter: TokenBucketLimiter }): Auth {
  const resolved = (res: Response): Principal | undefined => res.locals['principal'] as Principal | undefined;

  async function principalOf(header: string | undefined): Promise<Principal> {
    if (header === undefined) throw unauthorized('An API key is required: Authorization: Bearer <key>');
    const key = BEARER.exec(header)?.[1];
    if (key === undefined) throw unauthorized('The Authorization header must be "Bearer <key>"', 'Bearer realm="limelight", error="invalid_request"');
    const principal = await keys.authenticate(key);
    if (principal === undefined) throw unauthorized('The API key is unknown or revoked', 'Bearer realm="limelight", error="invalid_token"');
    const taken = limiter.take(principal.id);
    if (!taken.allowed) throw rateLimited(taken.retryAfterSeconds);
    return principal;
  }

  function checkScope(principal: Principal, scope: Scope): Principal {
    if (!principal.scopes.has(scope)) throw forbidden(`This API key does not have the "${scope}" scope`);
    return principal;
  }

  function checkSurface(principal: Principal, surface: string): void {
    if (principal.surfaces !== null && !principal.surfaces.has(surface)) {
      throw forbidden(`This API key may not act on surface "${surface}"`);
    }
  }

  /** The request's principal, resolved once per request and kept in `res.locals`. */
  async function resolve(header: string | undefined, res: Response): Promise<Principal> {
    const principal = resolved(res) ?? (await principalOf(header));
    res.locals['principal'] = principal;
    return principal;
  }

  return {
    authorize: async (header, scope) => checkScope(await principalOf(header), scope),
    checkSurface,
    authenticate: async (req, res, next) => {
      await resolve(req.get('authorization'), res);
      next();
    },
    allow: (scope) => async (req, res, next) => {
      checkScope(await resolve(req.get('authorization'), res), scope);
      next();
    },
    requireSurface(res, surface) {
      const principal = resolved(res);
      if (principal === undefined) throw new Error('requireSurface before authentication');
      checkSurface(principal, surface);
    },
    isSurfaceLimited: (res) => resolved(res)?.surfaces != null,
  };
}
