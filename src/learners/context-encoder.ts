import type { FeatureSpec } from './feature-spec.js';

/** A context that does not match the surface's feature schema; `feature` names the offending one. */
export class ContextError extends Error {
  constructor(
    readonly feature: string,
    message: string,
  ) {
    super(message);
    this.name = 'ContextError';
  }
}

/**
 * Largest |coordinate| a numeric feature may encode to. The linear learners add x xᵀ to their statistics
 * for every learned decision: one coordinate of 1e155 makes them infinite for good, and anything far
 * above the others' scale leaves A = λI + Σ x xᵀ so ill-conditioned (condition number ~ x²/λ) that its
 * Cholesky factor keeps few significant digits. At 1e6 the condition number stays below ~1e12.
 * A feature with larger raw values should declare `standardize`.
 */
export const MAX_ENCODED_MAGNITUDE = 1e6;

export interface ContextEncoder {
  /** Length d of every encoded vector: 1 (intercept) + one column per numeric or boolean feature + one per level. */
  readonly dimension: number;
  /** A label per coordinate, e.g. `intercept`, `hour_of_day`, `device=ios`. */
  readonly coordinates: readonly string[];
  /** Encodes a raw context into a fresh vector of finite numbers. @throws ContextError */
  encode(context: Readonly<Record<string, unknown>>): Float64Array;
}

/**
 * Builds the encoder of a declared feature schema. The vector is [1, f₁, f₂, …] in declaration order:
 * - numeric: the value, or (value − mean)/std when the schema declares `standardize`;
 * - boolean: 1 or 0;
 * - categorical: one-hot over the declared levels. An undeclared level encodes as all zeros for that
 *   feature, so a new level (a new device type, say) falls back to the intercept instead of failing
 *   every request until the schema is updated.
 * A missing feature takes its declared default; without one it is an error, as is a wrong type, a
 * non-finite number or a key the schema does not declare. Nothing non-finite can leave this function.
 * A numeric coordinate is also bounded by ±MAX_ENCODED_MAGNITUDE.
 */
export function createContextEncoder(features: readonly FeatureSpec[]): ContextEncoder {
  const coordinates = ['intercept'];
  for (const feature of features) {
    if (feature.type === 'categorical') coordinates.push(...feature.levels.map((level) => `${feature.name}=${level}`));
    else coordinates.push(feature.name);
  }
  const declared = new Set(features.map((feature) => feature.name));
  const dimension = coordinates.length;

  function encode(context: Readonly<Record<string, unknown>>): Float64Array {
    for (const name of Object.keys(context)) {
      if (!declared.has(name)) throw new ContextError(name, `context feature "${name}" is not declared by the surface`);
    }
    const vector = new Float64Array(dimension);
    vector[0] = 1;
    let offset = 1;
    for (const feature of features) {
      const raw = Object.hasOwn(context, feature.name) ? context[feature.name] : feature.default;
      if (raw === undefined || raw === null) {
        throw new ContextError(feature.name, `context feature "${feature.name}" is missing and has no default`);
      }
      switch (feature.type) {
        case 'numeric': {
          if (typeof raw !== 'number') throw wrongType(feature.name, 'a number', raw);
          if (!Number.isFinite(raw)) {
            throw new ContextError(feature.name, `context feature "${feature.name}" must be a finite number, got ${raw}`);
          }
          const scaled = feature.standardize ? (raw - feature.standardize.mean) / feature.standardize.std : raw;
          if (!(Math.abs(scaled) <= MAX_ENCODED_MAGNITUDE)) {
            const bound = `±${MAX_ENCODED_MAGNITUDE}${feature.standardize ? ' once standardised' : ''}`;
            throw new ContextError(feature.name, `context feature "${feature.name}" must be within ${bound}, got ${raw}`);
          }
          vector[offset++] = scaled;
          break;
        }
        case 'boolean':
          if (typeof raw !== 'boolean') throw wrongType(feature.name, 'a boolean', raw);
          vector[offset++] = raw ? 1 : 0;
          break;
        case 'categorical': {
          if (typeof raw !== 'string') throw wrongType(feature.name, 'a string', raw);
          const level = feature.levels.indexOf(raw);
          if (level >= 0) vector[offset + level] = 1;
          offset += feature.levels.length;
          break;
        }
      }
    }
    return vector;
  }

  return { dimension, coordinates, encode };
}

function wrongType(name: string, expected: string, value: unknown): ContextError {
  const actual = Array.isArray(value) ? 'array' : typeof value;
  return new ContextError(name, `context feature "${name}" must be ${expected}, got ${actual}`);
}
