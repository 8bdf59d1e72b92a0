import type { ErrorDetail } from '../errors.js';

/**
 * A surface file that cannot be served. Deliberately not an HTTP error: it stops start-up, and its
 * message names the file and the field so the author can fix it without reading code, one line
 * per problem, e.g. `policies/home.yaml: policyArms[1].share: shares must sum to 1 (got 0.95)`.
 */
export class SurfaceConfigError extends Error {
  override readonly name = 'SurfaceConfigError';

  constructor(
    readonly file: string,
    readonly issues: readonly ErrorDetail[],
  ) {
    super(issues.map(({ path, message }) => `${file}: ${path === undefined ? '' : `${path}: `}${message}`).join('\n'));
  }
}
