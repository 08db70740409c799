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
 * Hands out E.164 numbers from a numbering plan, each at most once: a counter goes through a
 * keyed permutation of the plan's whole number space. Plans must not overlap each other, which
 * the tables guarantee by giving every city its own area codes or sharing one national plan.
 */
export class PhonePlan {
  private readonly sizes: number[];
  private readonly space: number;
  private permutation: Permutation | undefined;
  private issued = 0;

  constructor(
    readonly countryCode: string,
    private readonly blocks: readonly PhoneBlock[],
  ) {
    this.sizes = blocks.map((b) => b.max - b.min + 1);
    this.space = this.sizes.reduce((a, b) => a + b, 0);
  }

  /** Keys the permutation; called once per seeding run so the numbers follow the seed. */
  reset(rng: Rng): void {
    this.permutation = new Permutation(this.space, rng);
    this.issued = 0;
  }

  next(): string {
    if (!this.permutation) throw new Error('PhonePlan used before reset()');
    let offset = this.permutation.at(this.issued++);
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
