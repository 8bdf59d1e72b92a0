/** A sparse vector: its non-zero coordinates and their values, in ascending index order. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/**
 * Encodes a raw context by feature hashing (Weinberger, Dasgupta, Langford, Smola & Attenberg,
 * "Feature Hashing for Large Scale Multitask Learning", ICML 2009), so a reward model needs no schema:
 * coordinate 0 is the intercept 1; a numeric feature f adds its value at 1 + h(f) mod 2ᵇ; a boolean adds
 * 1 there when true; a string level v of feature f adds 1 at 1 + h("f=v") mod 2ᵇ (one-hot in the hashed
 * space). h is 32-bit FNV-1a. Colliding features share a coordinate, which only costs accuracy.
 * Dimension d = 1 + 2ᵇ.
 */
export class HashedContextEncoder {
  readonly dimension: number;
  private readonly mask: number;
  private readonly scratch: Float64Array;
  private readonly touched: Int32Array;
  private readonly marked: Uint8Array;
  private readonly hashes = new Map<string, number>();

  /** @param bits b, an integer in [1, 16]. @throws RangeError otherwise. */
  constructor(readonly bits: number) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new RangeError(`hash bits must be an integer in [1, 16], got ${bits}`);
    this.mask = (1 << bits) - 1;
    this.dimension = 1 + (1 << bits);
    this.scratch = new Float64Array(this.dimension);
    this.touched = new Int32Array(this.dimension);
    this.marked = new Uint8Array(this.dimension);
  }

  encode(context: Readonly<Record<string, number | boolean | string>>): SparseVector {
    let count = 0;
    const add = (index: number, value: number) => {
      if (this.marked[index] === 0) {
        this.marked[index] = 1;
        this.touched[count++] = index;
      }
      this.scratch[index]! += value;
    };
    add(0, 1);
    for (const [name, value] of Object.entries(context)) {
      if (typeof value === 'number') {
        if (value !== 0) add(1 + this.hash(name), value);
      } else if (typeof value === 'boolean') {
        if (value) add(1 + this.hash(name), 1);
      } else {
        add(1 + this.hash(`${name}=${value}`), 1);
      }
    }
    const indices = this.touched.slice(0, count).sort();
    const values = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const index = indices[k]!;
      values[k] = this.scratch[index]!;
      this.scratch[index] = 0;
      this.marked[index] = 0;
    }
    return { indices, values };
  }

  private hash(key: string): number {
    let cached = this.hashes.get(key);
    if (cached === undefined) {
      cached = fnv1a(key) & this.mask;
      // Categorical levels are few in practice; the cap keeps a high-cardinality feature from growing it without bound.
      if (this.hashes.size < 100_000) this.hashes.set(key, cached);
    }
    return cached;
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
