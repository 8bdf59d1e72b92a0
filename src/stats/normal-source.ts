import type { Random } from './random.js';

/** Layers of the ziggurat and the right edge R and area V of each, for N(0, 1) (Marsaglia & Tsang 2000, §3). */
const LAYERS = 128;
const R = 3.442619855899;
const V = 9.91256303526217e-3;
/** The draw's 25 high bits are its signed position in the layer, out of 2²⁴ on each side. */
const SCALE = 2 ** 24;

/**
 * The ziggurat's tables (Marsaglia & Tsang, "The ziggurat method for generating random variables",
 * J. Stat. Softw. 2000, `zigset`): for layer i, `edge[i]` is the integer position under which a draw
 * lies inside the layer's rectangle below the curve, `width[i]` turns a position into x, and
 * `height[i]` = e^{−x_i²/2} at the layer's right edge x_i.
 */
const edge = new Int32Array(LAYERS);
const width = new Float64Array(LAYERS);
const height = new Float64Array(LAYERS);
{
  let x = R;
  let previous = R;
  const q = V / Math.exp(-0.5 * x * x);
  edge[0] = Math.floor((x / q) * SCALE);
  edge[1] = 0;
  width[0] = q / SCALE;
  width[LAYERS - 1] = x / SCALE;
  height[0] = 1;
  height[LAYERS - 1] = Math.exp(-0.5 * x * x);
  for (let i = LAYERS - 2; i >= 1; i--) {
    x = Math.sqrt(-2 * Math.log(V / x + Math.exp(-0.5 * x * x)));
    edge[i + 1] = Math.floor((x / previous) * SCALE);
    previous = x;
    height[i] = Math.exp(-0.5 * x * x);
    width[i] = x / SCALE;
  }
}

/**
 * A fast, seeded stream of independent N(0, 1) draws, for samplers that need thousands per decision
 * (LinTS's Monte Carlo): the ziggurat method (Marsaglia & Tsang 2000) on SFC32, Chris Doty-Humphrey's
 * Small Fast Chaotic generator (PractRand; 128-bit state, passes BigCrush), seeded from `random`, so a
 * decision's seed still replays it bit for bit.
 *
 * Draw i takes word i of one SFC32 stream: its low 7 bits pick the layer and its high 25 bits the
 * position, so the two are independent (Doornik, "An improved ziggurat method to generate normal random
 * samples", 2005, on the layer/position correlation of the original). 97.3 % of words fall inside their
 * layer's rectangle and are the draw at once. The others go through the wedge or tail test, and their
 * further words come from a second SFC32 stream: every word is independent of every other, so this
 * changes nothing in the distribution, and it lets `fill` turn all words into draws in one pass without
 * a branch that the processor mispredicts, then settle the few others.
 */
export class NormalSource {
  /** One word per draw. */
  private readonly words: Sfc32;
  /** The further words of the draws outside their layer's rectangle. */
  private readonly retries: Sfc32;

  constructor(random: Random) {
    this.words = new Sfc32(random);
    this.retries = new Sfc32(random);
  }

  /** The next standard normal draw. */
  next(): number {
    const word = this.words.next();
    return insideRectangle(word) ? rectangleDraw(word) : this.outsideRectangle(word);
  }

  /** Fills `out` with the next `out.length` draws, the same ones `next` would give in turn. */
  fill(out: Float64Array): Float64Array {
    const words = scratch.words(out.length);
    this.words.fill(words);
    const outside = scratch.outside(out.length);
    let count = 0;
    for (let i = 0; i < out.length; i++) {
      const word = words[i]!;
      out[i] = rectangleDraw(word);
      outside[count] = i;
      count += insideRectangle(word) ? 0 : 1;
    }
    for (let j = 0; j < count; j++) {
      const i = outside[j]!;
      out[i] = this.outsideRectangle(words[i]!);
    }
    return out;
  }

  /** The draw of a word outside its layer's rectangle: the tail or wedge test, with new words from `retries` until one is accepted. */
  private outsideRectangle(first: number): number {
    for (let word = first; ; word = this.retries.next()) {
      if (insideRectangle(word)) return rectangleDraw(word);
      const layer = word & (LAYERS - 1);
      const position = word >> 7;
      if (layer === 0) return this.tail(position < 0);
      // The wedge between the rectangle and the curve: accept under e^{−x²/2}.
      const x = position * width[layer]!;
      if (height[layer]! + this.retries.uniform() * (height[layer - 1]! - height[layer]!) < Math.exp(-0.5 * x * x)) return x;
    }
  }

  /** A draw beyond ±R (Marsaglia 1964's tail method, as in `nfix`). */
  private tail(negative: boolean): number {
    let x: number;
    let y: number;
    do {
      x = -Math.log(this.retries.uniform()) / R;
      y = -Math.log(this.retries.uniform());
    } while (y + y < x * x);
    return negative ? -R - x : R + x;
  }
}

/** Whether a word's position lies inside its layer's rectangle, under the curve. */
function insideRectangle(word: number): boolean {
  return Math.abs(word >> 7) < edge[word & (LAYERS - 1)]!;
}

/** The draw of a word inside its layer's rectangle. */
function rectangleDraw(word: number): number {
  return (word >> 7) * width[word & (LAYERS - 1)]!;
}

/** `fill`'s working arrays, kept between calls (which run one at a time) so that a fill allocates nothing. */
const scratch = {
  wordBuffer: new Int32Array(0),
  outsideBuffer: new Int32Array(0),
  /** Room for the words of `length` draws. */
  words(length: number): Int32Array {
    if (this.wordBuffer.length < length) this.wordBuffer = new Int32Array(length);
    return this.wordBuffer.subarray(0, length);
  },
  /** Room for the indices of up to `length` draws outside their rectangle. */
  outside(length: number): Int32Array {
    if (this.outsideBuffer.length < length) this.outsideBuffer = new Int32Array(length);
    return this.outsideBuffer;
  },
};

/** SFC32 (Doty-Humphrey, PractRand): 32-bit words, seeded from three words of `random`. */
class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private counter = 1;

  constructor(random: Random) {
    this.a = (random() * 2 ** 32) | 0;
    this.b = (random() * 2 ** 32) | 0;
    this.c = (random() * 2 ** 32) | 0;
    // SFC32's recommended warm-up, which mixes the seed words into the whole state.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** The next word, as a signed integer. */
  next(): number {
    const word = (((this.a + this.b) | 0) + this.counter) | 0;
    this.counter = (this.counter + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + word) | 0;
    return word;
  }

  /**
   * `out.length` words in turn, as `next` gives them. The state stays in locals, which V8 keeps in
   * registers as 32-bit integers once `| 0` says they are: a fifth of the time of the loop without.
   */
  fill(out: Int32Array): void {
    let a = this.a | 0;
    let b = this.b | 0;
    let c = this.c | 0;
    let counter = this.counter | 0;
    for (let i = 0; i < out.length; i++) {
      const word = (((a + b) | 0) + counter) | 0;
      counter = (counter + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + word) | 0;
      out[i] = word;
    }
    Object.assign(this, { a, b, c, counter });
  }

  /** A uniform draw in (0, 1]. */
  uniform(): number {
    return ((this.next() >>> 0) + 1) / 2 ** 32;
  }
}
