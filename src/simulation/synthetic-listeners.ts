import type { components } from '../api/openapi-types.js';
import { createContextEncoder, type ContextEncoder } from '../learners/context-encoder.js';
import { dot } from '../linalg/vector.js';
import { seededRandom, standardNormal, type Random } from '../stats/random.js';

type SurfaceConfig = components['schemas']['SurfaceConfig'];
type FeatureSpec = components['schemas']['FeatureSpec'];

/**
 * A synthetic audience for a surface, for demos and load: listeners with contexts drawn from the
 * surface's feature schema, and for every arm a hidden logistic click model
 * P(click | x, a) = sigmoid(θ_aᵀx + bias), θ_a ~ N(0, I)·scale, so that which promotion works depends on
 * the listener and a contextual learner has something to find. Deterministic for a seed.
 */
export class SyntheticListeners {
  private readonly encoder: ContextEncoder;
  private readonly weights = new Map<string, Float64Array>();
  private readonly random: Random;

  constructor(
    private readonly surface: SurfaceConfig,
    seed: string,
    private readonly bias = -2,
    scale = 0.8,
  ) {
    this.encoder = createContextEncoder(surface.features);
    this.random = seededRandom(seed);
    for (const arm of surface.arms) {
      this.weights.set(arm.id, Float64Array.from({ length: this.encoder.dimension }, () => scale * standardNormal(this.random)));
    }
  }

  /** A listener's context: every declared feature, drawn from a plausible range. */
  context(): Record<string, number | boolean | string> {
    return Object.fromEntries(this.surface.features.map((feature) => [feature.name, this.value(feature)]));
  }

  /** The true click probability of `arm` for a context. */
  clickProbability(context: Record<string, unknown>, arm: string): number {
    const weights = this.weights.get(arm);
    if (!weights) throw new RangeError(`unknown arm "${arm}"`);
    return 1 / (1 + Math.exp(-(dot(weights, this.encoder.encode(context)) + this.bias)));
  }

  /** The listener's response: a click (1/0), or for a continuous reward the fraction listened. */
  respond(context: Record<string, unknown>, arm: string): number {
    const p = this.clickProbability(context, arm);
    if (this.surface.reward.type === 'binary') return this.random() < p ? 1 : 0;
    return this.random() < p ? Math.min(1, 0.3 + 0.7 * this.random()) : 0;
  }

  /** The best arm's click probability among `arms`, for regret. */
  bestProbability(context: Record<string, unknown>, arms: readonly string[]): number {
    return Math.max(...arms.map((arm) => this.clickProbability(context, arm)));
  }

  uniform(): number {
    return this.random();
  }

  private value(feature: FeatureSpec): number | boolean | string {
    switch (feature.type) {
      case 'numeric': {
        const mean = feature.standardize?.mean ?? 0;
        const std = feature.standardize?.std ?? 1;
        return Math.max(0, Math.round((mean + std * standardNormal(this.random)) * 100) / 100);
      }
      case 'boolean':
        return this.random() < 0.3;
      case 'categorical':
        return feature.levels[Math.floor(this.random() * feature.levels.length)]!;
    }
  }
}
