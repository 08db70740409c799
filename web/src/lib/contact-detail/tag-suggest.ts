import Fuse from 'fuse.js';
import type { Tag } from '@switchboard/shared';

// Suggestions for the add-tag box: fuzzy (typo-tolerant) over the workspace's tags, never one the
// contact already has. With nothing typed, the most used tags.

export function suggestTags(catalogue: readonly Tag[], have: readonly string[], query: string, limit = 8): string[] {
  const owned = new Set(have.map((t) => t.toLowerCase()));
  const candidates = catalogue.filter((t) => !owned.has(t.name.toLowerCase()));
  const q = query.trim();
  if (!q) return [...candidates].sort((a, b) => b.contactCount - a.contactCount).slice(0, limit).map((t) => t.name);
  const fuse = new Fuse(candidates, { keys: ['name'], threshold: 0.4, ignoreLocation: true });
  return fuse.search(q, { limit }).map((r) => r.item.name);
}

/** Whether the typed name would create a new tag rather than add an existing one. */
export function isNewTag(catalogue: readonly Tag[], query: string): boolean {
  const q = query.trim().toLowerCase();
  return q !== '' && !catalogue.some((t) => t.name.toLowerCase() === q);
}
