/**
 * The per-arm state of the naive linear baselines: A = λI + Σ x xᵀ (dense, row-major) and b = Σ r x,
 * updated by plain O(d²) accumulation; nothing derived from them is cached.
 */
export class NaiveLinearArms {
  private readonly state = new Map<string, { a: Float64Array; b: Float64Array }>();

  constructor(
    readonly dimension: number,
    readonly lambda: number,
  ) {}

  /** The arm's A and b (the prior A = λI, b = 0 for an arm never seen). */
  get(arm: string): { a: Float64Array; b: Float64Array } {
    let arms = this.state.get(arm);
    if (!arms) {
      const a = new Float64Array(this.dimension * this.dimension);
      for (let i = 0; i < this.dimension; i++) a[i * this.dimension + i] = this.lambda;
      arms = { a, b: new Float64Array(this.dimension) };
      this.state.set(arm, arms);
    }
    return arms;
  }

  /** A += x xᵀ, b += r x. */
  learn(arm: string, context: ArrayLike<number>, reward: number): void {
    const { a, b } = this.get(arm);
    const d = this.dimension;
    for (let i = 0; i < d; i++) {
      b[i]! += reward * context[i]!;
      for (let j = 0; j < d; j++) a[i * d + j]! += context[i]! * context[j]!;
    }
  }
}
