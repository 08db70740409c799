import { Permutation, type Rng } from './rng.ts';

/** Numbers `prefix` + `digits` digits, the digits ranging over [min, max]. */
export interface PhoneBlock {
  prefix: string;
  digits: number;
  min: number;
  max: number;
}

export function block(prefix: string, digits: number, min = 0, max = 10 ** digits - 1): PhoneBlock {
  return { prefix, digits, min, max };
}

/** Same rest range behind several prefixes (area codes, mobile ranges). */
export function blocks(prefixes: readonly string[], digits: number, min = 0, max = 10 ** digits - 1): PhoneBlock[] {
  return prefixes.map((p) => block(p, digits, min, max));
}

/**
 * A numbering plan (fixed data). `issuer()` hands out its E.164 numbers, each at most once: a
 * counter goes through a keyed permutation of the plan's whole number space. Plans never overlap
 * each other (every city has its own area codes, or the country shares one national plan), so
 * numbers are unique across the whole data set without remembering the ones handed out.
 */
export class PhonePlan {
  private readonly sizes: number[];
  private readonly space: number;

  constructor(
    readonly countryCode: string,
    private readonly blocks: readonly PhoneBlock[],
  ) {
    this.sizes = blocks.map((b) => b.max - b.min + 1);
    this.space = this.sizes.reduce((a, b) => a + b, 0);
  }

  issuer(rng: Rng): () => string {
    const permutation = new Permutation(this.space, rng);
    let issued = 0;
    return () => this.format(permutation.at(issued++));
  }

  private format(offset: number): string {
    for (let i = 0; i < this.blocks.length; i++) {
      const size = this.sizes[i]!;
      if (offset < size) {
        const b = this.blocks[i]!;
        return `+${this.countryCode}${b.prefix}${String(b.min + offset).padStart(b.digits, '0')}`;
      }
      offset -= size;
    }
    throw new Error('unreachable');
  }
}
