import type { RequestHandler, Response } from 'express';
import { forbidden, rateLimited, unauthorized } from '../errors.js';
import type { Scope } from './api-key.js';
import type { ApiKeyService, Principal } from './api-key-service.js';
import type { TokenBucketLimiter } from './token-bucket-limiter.js';

/** `Bearer <key>`; a key is printable ASCII, and far longer ones are refused before hashing. */
const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

export interface Auth {
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
  const principalOf = (res: Response): Principal | undefined => res.locals['principal'] as Principal | undefined;

  async function resolve(header: string | undefined, res: Response): Promise<void> {
    if (principalOf(res) !== undefined) return;
    if (header === undefined) throw unauthorized('An API key is required: Authorization: Bearer <key>');
    const key = BEARER.exec(header)?.[1];
    if (key === undefined) throw unauthorized('The Authorization header must be "Bearer <key>"', 'Bearer realm="limelight", error="invalid_request"');
    const principal = await keys.authenticate(key);
    if (principal === undefined) throw unauthorized('The API key is unknown or revoked', 'Bearer realm="limelight", error="invalid_token"');
    const taken = limiter.take(principal.id);
    if (!taken.allowed) throw rateLimited(taken.retryAfterSeconds);
    res.locals['principal'] = principal;
  }

  return {
    authenticate: async (req, res, next) => {
      await resolve(req.get('authorization'), res);
      next();
    },
    allow: (scope) => async (req, res, next) => {
      await resolve(req.get('authorization'), res);
      if (!principalOf(res)!.scopes.has(scope)) throw forbidden(`This API key does not have the "${scope}" scope`);
      next();
    },
    requireSurface(res, surface) {
      const principal = principalOf(res);
      if (principal === undefined) throw new Error('requireSurface before authentication');
      if (principal.surfaces !== null && !principal.surfaces.has(surface)) {
        throw forbidden(`This API key may not act on surface "${surface}"`);
      }
    },
    isSurfaceLimited: (res) => principalOf(res)?.surfaces != null,
  };
}
