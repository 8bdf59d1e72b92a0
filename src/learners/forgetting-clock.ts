/**
 * Exponential forgetting that keeps the statistics additive.
 *
 * An observation made at logical step s enters the sums with weight γ^{origin − s}; the sums are read at
 * step t multiplied by γ^{t − origin}. Each observation therefore counts γ^{t − s}, the usual discounted
 * weight (Garivier & Moulines, "On upper-confidence bound policies for switching bandit problems", 2011),
 * but its increment depends only on its own step: increments from several replicas still merge by
 * addition and a rebuild may fold the log in any order. With γ = 1 every weight and scale is exactly 1.
 *
 * The weights grow as γ^{−s}; `weight` throws before they leave the float64 range, which happens after
 * about 700/|ln γ| steps from the origin (e.g. 70 000 steps at γ = 0.99): choose the step length and
 * origin so that a model's lifetime stays well inside that.
 */
export class ForgettingClock {
  private step: number;

  constructor(
    readonly gamma: number,
    readonly origin = 0,
  ) {
    if (!(gamma > 0 && gamma <= 1)) throw new RangeError(`gamma must be in (0, 1], got ${gamma}`);
    this.step = origin;
  }

  get now(): number {
    return this.step;
  }

  /** Moves the clock to `step`; true when the read scale changed (cached posteriors are then stale). */
  advanceTo(step: number): boolean {
    if (!Number.isFinite(step)) throw new RangeError(`step must be finite, got ${step}`);
    if (step === this.step) return false;
    this.step = step;
    return this.gamma !== 1;
  }

  /** γ^{origin − s}: the weight with which an observation made at step s enters the sums. */
  weight(step: number): number {
    const weight = this.gamma === 1 ? 1 : Math.pow(this.gamma, this.origin - step);
    if (!Number.isFinite(weight)) throw new RangeError(`forgetting weight overflows at step ${step}; move the origin`);
    return weight;
  }

  /** γ^{now − origin}: the factor that turns the sums into the discounted statistics at the current step. */
  scale(): number {
    return this.gamma === 1 ? 1 : Math.pow(this.gamma, this.step - this.origin);
  }
}
