import type { Random } from '../stats/random.js';

/** Largest number of blocks kept by default; up to this many rows the bootstrap is the exact row bootstrap. */
export const DEFAULT_BOOTSTRAP_BLOCKS = 20_000;

/**
 * Streaming store for a non-parametric bootstrap of statistics that are smooth functions of means of
 * per-round term vectors tᵢ ∈ ℝᴰ, with memory bounded by `capacity` × D whatever the number of rows.
 *
 * Rows go into contiguous blocks of s rows each, storing only the block sums Σ_{i∈b} tᵢ and the row
 * count. s starts at 1, so while n ≤ capacity every block is one row and the resampling is the ordinary
 * (Efron 1979) row bootstrap. When the store fills, neighbouring blocks are merged pairwise and s
 * doubles (lazily, when the next row arrives); so for n > capacity there are between capacity/2 and capacity blocks of s = 2ᵏ rows (the last
 * one possibly partial).
 *
 * A resample draws as many blocks as there are, uniformly with replacement, adds their sums and row
 * counts, and evaluates the statistic on sum/count. Because the rows are i.i.d., the block sums of
 * equal-sized blocks are i.i.d. too, and the statistic is a smooth function of their mean, so
 * resampling blocks as the units is a valid bootstrap: this is the non-overlapping block bootstrap
 * (Carlstein 1986; Künsch 1989, "The jackknife and the bootstrap for general stationary observations"),
 * whose block-length restrictions only matter for dependent rows. With ≥ 10 000 blocks it matches the
 * row bootstrap's interval closely while 1 000 resamples cost 1 000 × blocks × D instead of
 * 1 000 × rows. The partial last block makes one block in ≥ 10 000 unequal, a negligible effect.
 * Kleiner, Talwalkar, Sarkar & Jordan, "A scalable bootstrap for massive data" (JRSS B, 2014), discuss
 * the same cost problem.
 */
export class BlockBootstrap {
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private blockSize = 1;
  private full = 0;
  private inCurrent = 0;

  constructor(
    readonly dimension: number,
    readonly capacity: number = DEFAULT_BOOTSTRAP_BLOCKS,
  ) {
    if (!Number.isInteger(capacity) || capacity < 2 || capacity % 2 !== 0) {
      throw new RangeError(`bootstrap block capacity must be an even integer >= 2, got ${capacity}`);
    }
    this.sums = new Float64Array(capacity * dimension);
    this.counts = new Float64Array(capacity);
  }

  /** Rows per (complete) block: 1 up to `capacity` rows, then a power of 2. */
  get rowsPerBlock(): number {
    return this.blockSize;
  }

  /** Blocks holding at least one row. */
  get blocks(): number {
    return this.full + (this.inCurrent > 0 ? 1 : 0);
  }

  /** Adds one row's terms; O(D), no allocation (a merge, once per doubling, is O(capacity × D)). */
  add(terms: Float64Array): void {
    if (this.full === this.capacity) this.mergePairs();
    const d = this.dimension;
    const base = this.full * d;
    for (let j = 0; j < d; j++) this.sums[base + j]! += terms[j]!;
    this.counts[this.full]! += 1;
    if (++this.inCurrent < this.blockSize) return;
    this.inCurrent = 0;
    this.full++;
  }

  private mergePairs(): void {
    const d = this.dimension;
    const half = this.capacity / 2;
    for (let b = 0; b < half; b++) {
      for (let j = 0; j < d; j++) this.sums[b * d + j] = this.sums[2 * b * d + j]! + this.sums[(2 * b + 1) * d + j]!;
      this.counts[b] = this.counts[2 * b]! + this.counts[2 * b + 1]!;
    }
    this.sums.fill(0, half * d);
    this.counts.fill(0, half);
    this.full = half;
    this.blockSize *= 2;
  }

  /**
   * Runs `resamples` bootstrap resamples; for each, calls `visit(resample, means)` with the resampled
   * term means (Σ block sums / Σ block rows). `means` is reused between calls.
   */
  resample(resamples: number, random: Random, visit: (resample: number, means: Float64Array) => void): void {
    const d = this.dimension;
    const m = this.blocks;
    if (m === 0) return;
    const totals = new Float64Array(d);
    for (let r = 0; r < resamples; r++) {
      totals.fill(0);
      let rows = 0;
      for (let draw = 0; draw < m; draw++) {
        const b = Math.floor(random() * m);
        const base = b * d;
        for (let j = 0; j < d; j++) totals[j]! += this.sums[base + j]!;
        rows += this.counts[b]!;
      }
      for (let j = 0; j < d; j++) totals[j] = totals[j]! / rows;
      visit(r, totals);
    }
  }
}
