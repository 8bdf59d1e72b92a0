import seedrandom from 'seedrandom';

/** A source of uniform numbers in [0, 1). Every sampler takes one as a parameter; nothing here is global. */
export type Random = () => number;

/**
 * A seeded generator from `seedrandom` (Alea, Baagøe 2010: fast, 2¹¹⁶ period, passes BigCrush),
 * so the same seed replays the same decision bit for bit.
 */
export function seededRandom(seed: string): Random {
  return seedrandom.alea(seed);
}

/**
 * Fills `out` with independent standard normal draws by the Box–Muller transform
 * (Box & Muller 1958): z₀ = √(−2 ln u₁)·cos 2πu₂, z₁ = √(−2 ln u₁)·sin 2πu₂, u₁ ∈ (0, 1].
 */
export function fillStandardNormal(random: Random, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** One standard normal draw (Box–Muller, the cosine half). */
export function standardNormal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * A Gamma(shape, 1) draw by Marsaglia & Tsang, "A simple method for generating gamma variables"
 * (ACM TOMS 2000); for shape < 1 the boost Gamma(a) = Gamma(a + 1)·U^{1/a} of the same paper.
 * @throws RangeError when shape is not a positive finite number.
 */
export function gammaSample(random: Random, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) return gammaSample(random, shape + 1) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(α, β) draw as X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β). */
export function betaSample(random: Random, alpha: number, beta: number): number {
  const x = gammaSample(random, alpha);
  const y = gammaSample(random, beta);
  return x / (x + y);
}
