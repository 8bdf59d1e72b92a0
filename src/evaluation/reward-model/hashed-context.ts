/** A sparse vector: its non-zero coordinates and their values, in ascending index order. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/** Most hashed names and levels kept; a high-cardinality feature past it is hashed on every use instead. */
const CACHE_LIMIT = 100_000;

/** The cached coordinates of one feature name: its numeric coordinate and those of its levels seen so far. */
interface FeatureCoordinates {
  numeric: number;
  levels: Map<string, number>;
}

/**
 * Encodes a raw context by feature hashing (Weinberger, Dasgupta, Langford, Smola & Attenberg,
 * "Feature Hashing for Large Scale Multitask Learning", ICML 2009), so a reward model needs no schema:
 * coordinate 0 is the intercept 1; a numeric feature f adds its value at 1 + h(f) mod 2ᵇ; a boolean adds
 * 1 there when true; a string level v of feature f adds 1 at 1 + h("f=v") mod 2ᵇ (one-hot in the hashed
 * space). h is 32-bit FNV-1a. Colliding features share a coordinate, which only costs accuracy.
 * Dimension d = 1 + 2ᵇ.
 *
 * Per row it runs once per round per pass, so it hashes each name and each level once (cached by name,
 * then by level, so no `"f=v"` key is built per row) and writes into buffers of its own (`encodeInPlace`).
 */
export class HashedContextEncoder {
  readonly dimension: number;
  /** The last `encodeInPlace` result: coordinates `indices[0 … count)` ascending, with `values[0 … count)`. */
  readonly indices: Int32Array;
  readonly values: Float64Array;
  private readonly mask: number;
  private readonly scratch: Float64Array;
  private readonly marked: Uint8Array;
  private readonly features = new Map<string, FeatureCoordinates>();
  private cached = 0;
  private count = 0;

  /** @param bits b, an integer in [1, 16]. @throws RangeError otherwise. */
  constructor(readonly bits: number) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new RangeError(`hash bits must be an integer in [1, 16], got ${bits}`);
    this.mask = (1 << bits) - 1;
    this.dimension = 1 + (1 << bits);
    this.scratch = new Float64Array(this.dimension);
    this.indices = new Int32Array(this.dimension);
    this.values = new Float64Array(this.dimension);
    this.marked = new Uint8Array(this.dimension);
  }

  /** φ(context) as a new sparse vector. */
  encode(context: Readonly<Record<string, number | boolean | string>>): SparseVector {
    const count = this.encodeInPlace(context);
    return { indices: this.indices.slice(0, count), values: this.values.slice(0, count) };
  }

  /**
   * φ(context) into `indices` and `values` (overwritten by the next call); allocates nothing once the
   * context's names and levels have been seen. Colliding features are summed in the context's key order.
   * @returns the number of non-zero coordinates.
   */
  encodeInPlace(context: Readonly<Record<string, number | boolean | string>>): number {
    this.count = 0;
    this.add(0, 1);
    for (const name in context) {
      const value = context[name];
      if (typeof value === 'number') {
        if (value !== 0) this.add(this.feature(name).numeric, value);
      } else if (typeof value === 'boolean') {
        if (value) this.add(this.feature(name).numeric, 1);
      } else {
        this.add(this.level(name, value), 1);
      }
    }
    const { indices, values, scratch, marked } = this;
    const count = this.count;
    // Insertion sort: a context has a handful of coordinates.
    for (let k = 1; k < count; k++) {
      const index = indices[k]!;
      let j = k - 1;
      while (j >= 0 && indices[j]! > index) {
        indices[j + 1] = indices[j]!;
        j--;
      }
      indices[j + 1] = index;
    }
    for (let k = 0; k < count; k++) {
      const index = indices[k]!;
      values[k] = scratch[index]!;
      scratch[index] = 0;
      marked[index] = 0;
    }
    return count;
  }

  private add(index: number, value: number): void {
    if (this.marked[index] === 0) {
      this.marked[index] = 1;
      this.indices[this.count++] = index;
    }
    this.scratch[index]! += value;
  }

  private feature(name: string): FeatureCoordinates {
    let feature = this.features.get(name);
    if (feature === undefined) {
      feature = { numeric: this.coordinate(name), levels: new Map() };
      if (this.cached < CACHE_LIMIT) {
        this.features.set(name, feature);
        this.cached++;
      }
    }
    return feature;
  }

  private level(name: string, value: unknown): number {
    const feature = this.feature(name);
    if (typeof value !== 'string') return this.coordinate(`${name}=${String(value)}`);
    let index = feature.levels.get(value);
    if (index === undefined) {
      index = this.coordinate(`${name}=${value}`);
      if (this.cached < CACHE_LIMIT) {
        feature.levels.set(value, index);
        this.cached++;
      }
    }
    return index;
  }

  private coordinate(key: string): number {
    return 1 + (fnv1a(key) & this.mask);
  }
}

/** 32-bit FNV-1a of a string's UTF-16 code units (Fowler, Noll & Vo). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
