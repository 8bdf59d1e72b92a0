import { schemaViolations, type Schemas } from '../api/schema-validator.js';
import { SurfaceConfigError } from './surface-config-error.js';
import { surfaceConfigIssues } from './surface-config-issues.js';
import { versionHash } from './version-hash.js';

/** The contents of one file in `policies/`; its shape is `SurfaceConfig` in `openapi.yaml`. */
export type SurfaceConfig = Schemas['SurfaceConfig'];
export type PolicyArmConfig = Schemas['PolicyArmConfig'];

/** A validated surface configuration with the versions that decisions and model state are keyed by. */
export interface Surface {
  readonly config: SurfaceConfig;
  /** Changes with any edit of the file's content; logged with every decision. */
  readonly configVersion: string;
  /**
   * Changes only with `features`. Learned statistics are keyed by it, so retuning shares or
   * exploration keeps what was learned, while a new feature schema (new encoding) starts afresh.
   */
  readonly featureSchemaVersion: string;
}

/**
 * Validates a parsed surface file against the `SurfaceConfig` schema and the rules the schema
 * cannot express, and computes its versions.
 * @param source names the file in error messages.
 * @throws SurfaceConfigError listing every problem found, each with its field.
 */
export function buildSurface(value: unknown, source: string): Surface {
  const violations = schemaViolations('SurfaceConfig', value);
  if (violations.length > 0) throw new SurfaceConfigError(source, violations);
  // No violations: the value has the SurfaceConfig shape.
  const config = value as SurfaceConfig;
  const issues = surfaceConfigIssues(config);
  if (issues.length > 0) throw new SurfaceConfigError(source, issues);
  return { config, configVersion: versionHash(config), featureSchemaVersion: versionHash(config.features) };
}
