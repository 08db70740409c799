// Seeded randomness for the generator. Faker is only used to build name/company pools once;
// per-row choices come from this PRNG, which is several times cheaper per call at a million rows
// and makes the whole data set a pure function of (seed, now).

/** sfc32: small, fast, passes PractRand; state is four 32-bit words. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads a small integer seed over the whole state.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  range(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Zipf-ish pick: early items are much more common, like real first names. */
  pickSkewed<T>(items: readonly T[], power = 2): T {
    return items[Math.floor(this.next() ** power * items.length)] as T;
  }

  /** Exponentially distributed with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Standard normal (Box–Muller; one value per call keeps the stream simple). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  /** A derived generator, so independent parts of the data don't shift each other. */
  fork(salt: number): Rng {
    return new Rng((this.u32() ^ Math.imul(salt, 0x27d4eb2d)) >>> 0);
  }
}

/** Precomputed cumulative weights; a linear scan beats binary search for the short lists here. */
export class Weighted<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(private readonly items: readonly T[], weights: readonly number[]) {
    if (items.length === 0 || items.length !== weights.length) throw new Error('Weighted: bad input');
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  static of<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
    return new Weighted(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    const c = this.cumulative;
    for (let i = 0; i < c.length; i++) if (x < c[i]!) return this.items[i] as T;
    return this.items[this.items.length - 1] as T;
  }
}

/**
 * A keyed bijection on [0, size): a balanced Feistel network with cycle-walking. Mapping a
 * counter through it gives ids and phone numbers that look random yet can never repeat, without
 * remembering the ones already handed out.
 */
export class Permutation {
  private readonly half: number;
  private readonly mask: number;
  private readonly keys: number[];

  constructor(private readonly size: number, rng: Rng) {
    if (!(size >= 1 && size <= 2 ** 32)) throw new Error(`Permutation size out of range: ${size}`);
    const bits = Math.max(2, Math.ceil(Math.log2(size)));
    this.half = Math.ceil(bits / 2);
    this.mask = 2 ** this.half - 1;
    this.keys = [rng.u32(), rng.u32(), rng.u32(), rng.u32()];
  }

  at(index: number): number {
    if (index >= this.size) throw new Error(`Permutation exhausted (${this.size} values)`);
    let v = index;
    do v = this.round(v);
    while (v >= this.size);
    return v;
  }

  private round(v: number): number {
    const scale = this.mask + 1;
    let left = Math.floor(v / scale);
    let right = v % scale;
    for (const key of this.keys) {
      const f = Math.imul((right ^ key) >>> 0, 0x9e3779b1);
      const mixed = (f ^ (f >>> 15) ^ Math.imul(right, 0x85ebca6b)) >>> 0;
      const next = (left ^ mixed) & this.mask;
      left = right;
      right = next >>> 0;
    }
    return left * scale + right;
  }
}
