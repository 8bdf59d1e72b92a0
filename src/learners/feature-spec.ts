/**
 * One context feature of a surface's schema, declared in `policies/` and published by
 * `GET /surfaces/{id}` so that clients can build contexts.
 */
export type FeatureSpec =
  | {
      name: string;
      type: 'numeric';
      default?: number;
      /** Optional standardisation: the encoder feeds (value − mean) / std. */
      standardize?: { mean: number; std: number };
    }
  | { name: string; type: 'boolean'; default?: boolean }
  | { name: string; type: 'categorical'; levels: string[]; default?: string };
