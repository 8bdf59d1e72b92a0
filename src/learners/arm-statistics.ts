/**
 * Additive sufficient statistics, one fixed-length vector per arm. Increments from any replica, or
 * from the decision log folded in any order, merge by element-wise addition. A new arm starts at zero,
 * which the learners read as their prior.
 */
export class ArmStatistics {
  private readonly byArm = new Map<string, Float64Array>();

  constructor(readonly length: number) {}

  /** The arm's vector (zeros for an arm never seen). Callers must not mutate it. */
  get(arm: string): Float64Array {
    return this.byArm.get(arm) ?? new Float64Array(this.length);
  }

  has(arm: string): boolean {
    return this.byArm.has(arm);
  }

  arms(): string[] {
    return [...this.byArm.keys()];
  }

  /** Adds an increment. @throws RangeError on a wrong length or a non-finite entry, leaving the state unchanged. */
  add(arm: string, increment: ArrayLike<number>): void {
    this.check(arm, increment);
    let vector = this.byArm.get(arm);
    if (!vector) {
      vector = new Float64Array(this.length);
      this.byArm.set(arm, vector);
    }
    for (let i = 0; i < this.length; i++) vector[i]! += increment[i]!;
  }

  /** Replaces the arm's vector (a snapshot from the shared model store). @throws RangeError as `add`. */
  set(arm: string, statistics: ArrayLike<number>): void {
    this.check(arm, statistics);
    this.byArm.set(arm, Float64Array.from(statistics));
  }

  private check(arm: string, vector: ArrayLike<number>): void {
    if (vector.length !== this.length) {
      throw new RangeError(`statistics of arm "${arm}" must have length ${this.length}, got ${vector.length}`);
    }
    for (let i = 0; i < vector.length; i++) {
      if (!Number.isFinite(vector[i])) throw new RangeError(`statistics of arm "${arm}" hold a non-finite value at ${i}`);
    }
  }
}
