import type { BanditStream } from '../replay/bandit-stream.js';
import type { PolicyArmConfig, SurfaceConfig } from '../surfaces/surface.js';

/** The id of the surface a stream is served as. */
export const STREAM_SURFACE_ID = 'stream';

/**
 * The policy arms that compete on a stream: the hyperparameters of the reference results in the shared
 * REFERENCE.md (α = 0.25 and v = 0.25, λ = 1, no exploration floor), and a uniform control. Shares are
 * per request, so each learner gets its share of the rows whatever the listener.
 */
export const STREAM_POLICY_ARMS: readonly PolicyArmConfig[] = [
  { id: 'linucb', share: 0.4, learner: { kind: 'linucb', alpha: 0.25, lambda: 1, epsilon: 0 } },
  { id: 'lints', share: 0.4, learner: { kind: 'lints', v: 0.25, lambda: 1, epsilon: 0 } },
  { id: 'control', share: 0.2, learner: { kind: 'uniform' } },
];

export interface StreamSurface {
  config: SurfaceConfig;
  /** Round t's context as a listener sends it to `/choose`: feature name → value. */
  context(t: number): Record<string, number>;
}

/**
 * The surface that serves a full-information stream: one numeric feature per `x_*` column, one arm per
 * `r_*` column (named "0", "1", … as `replayStream` names them, in the same order), a binary reward
 * with default 0 after `attributionWindowSeconds`, and `STREAM_POLICY_ARMS`.
 *
 * A column that is 1 in every row is the stream's intercept. The context encoder puts its own intercept
 * first, so that column is left out; the encoded vector is then the stream's vector with the intercept
 * moved to the front, which the ridge-regression learners (prior λI) treat identically. Both the
 * service and the in-process baseline encode with this surface, so they see the same vectors.
 */
export function streamSurface(stream: BanditStream, attributionWindowSeconds: number): StreamSurface {
  const kept = stream.contextNames.flatMap((name, column) => (isIntercept(stream, column) ? [] : [{ name, column }]));
  const config: SurfaceConfig = {
    id: STREAM_SURFACE_ID,
    name: 'Full-information stream served as a surface',
    randomization: 'request',
    // The kind is a label for reports; the learners do not read it.
    arms: Array.from({ length: stream.armCount }, (_, k) => ({ id: String(k), kind: 'music' as const })),
    features: kept.map(({ name }) => ({ name, type: 'numeric' as const })),
    reward: { type: 'binary', attributionWindowSeconds, default: 0 },
    policyArms: [...STREAM_POLICY_ARMS],
  };
  return {
    config,
    context: (t) => {
      const row = stream.contexts[t];
      if (!row) throw new RangeError(`round ${t} is outside the stream's ${stream.contexts.length} rounds`);
      return Object.fromEntries(kept.map(({ name, column }) => [name, row[column]!]));
    },
  };
}

function isIntercept(stream: BanditStream, column: number): boolean {
  return stream.contexts.length > 0 && stream.contexts.every((row) => row[column] === 1);
}
