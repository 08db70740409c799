import Fuse from 'fuse.js';

export interface Choice {
  value: string;
  /** Shown beside the value when it says more (a country's name for `FR`). */
  label?: string;
}

/**
 * Fuzzy matching over a list of choices (tag, sequence and topic names; codes and their names).
 * One Fuse index per list, rebuilt only when the list itself changes.
 */
export class FuzzyChoices {
  readonly #choices: readonly Choice[];
  readonly #fuse: Fuse<Choice>;

  constructor(choices: readonly Choice[]) {
    this.#choices = choices;
    this.#fuse = new Fuse(choices, {
      keys: [
        { name: 'value', weight: 2 },
        { name: 'label', weight: 1 },
      ],
      threshold: 0.4,
      ignoreLocation: true,
      ignoreDiacritics: true,
    });
  }

  /** The best matches first; with an empty query, the list as given. `exclude` hides chosen values. */
  search(query: string, { limit = 50, exclude = [] as readonly string[] } = {}): Choice[] {
    const skip = new Set(exclude);
    const q = query.trim();
    const ranked = q ? this.#fuse.search(q).map((r) => r.item) : this.#choices;
    const out: Choice[] = [];
    for (const choice of ranked) {
      if (skip.has(choice.value)) continue;
      out.push(choice);
      if (out.length >= limit) break;
    }
    return out;
  }
}
