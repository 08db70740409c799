import type { CustomField, LayoutSurface } from '@switchboard/shared';
import { layoutKeys } from '$lib/contact-detail/field-meta';

// Pure helpers over a layout: an ordered list of `{ key, visible }`. Every change returns a new list.

export interface LayoutRow {
  key: string;
  visible: boolean;
}

/** Always the side panel's header (the profile image, and the name that titles the panel), never rows of it. */
const panelHeaderKeys: readonly string[] = ['avatar', 'name'];

/** The keys a surface can place. */
export function surfaceKeys(surface: LayoutSurface, customFields: readonly CustomField[]): string[] {
  const keys = layoutKeys(customFields);
  return surface === 'side-panel' ? keys.filter((k) => !panelHeaderKeys.includes(k)) : keys;
}

/**
 * A saved layout against what exists now: saved order first (keys that no longer exist, like a
 * deleted custom field, dropped; duplicates dropped), then every key the layout does not mention yet,
 * hidden — a field created after the layout was saved should not appear on its own. An empty saved
 * list is no layout at all, so everything shows.
 */
export function resolveLayout(saved: readonly LayoutRow[], known: readonly string[]): LayoutRow[] {
  if (saved.length === 0) return known.map((key) => ({ key, visible: true }));
  const exists = new Set(known);
  const seen = new Set<string>();
  const rows: LayoutRow[] = [];
  for (const row of saved) {
    if (!exists.has(row.key) || seen.has(row.key)) continue;
    seen.add(row.key);
    rows.push({ key: row.key, visible: row.visible });
  }
  for (const key of known) if (!seen.has(key)) rows.push({ key, visible: false });
  return rows;
}

export function visibleKeys(rows: readonly LayoutRow[]): string[] {
  return rows.filter((r) => r.visible).map((r) => r.key);
}

/** Moves the row at `from` so that it ends up at index `to` (both clamped to the list). */
export function moveRow(rows: readonly LayoutRow[], from: number, to: number): LayoutRow[] {
  const last = rows.length - 1;
  if (from < 0 || from > last) return [...rows];
  const target = Math.max(0, Math.min(last, to));
  const next = [...rows];
  const [row] = next.splice(from, 1);
  next.splice(target, 0, row!);
  return next;
}

/** Moves a row by `delta` places (−1 up, +1 down); returns the list and where the row is now. */
export function moveBy(rows: readonly LayoutRow[], key: string, delta: number): { rows: LayoutRow[]; index: number } {
  const from = rows.findIndex((r) => r.key === key);
  if (from < 0) return { rows: [...rows], index: -1 };
  const to = Math.max(0, Math.min(rows.length - 1, from + delta));
  return { rows: moveRow(rows, from, to), index: to };
}

/**
 * Where a dragged row lands when dropped on `over`, before or after it (by which half of the row the
 * pointer is in). Accounts for the row leaving its old place first.
 */
export function dropIndex(from: number, over: number, after: boolean): number {
  const slot = after ? over + 1 : over;
  return slot > from ? slot - 1 : slot;
}

export function setVisible(rows: readonly LayoutRow[], key: string, visible: boolean): LayoutRow[] {
  return rows.map((r) => (r.key === key ? { ...r, visible } : r));
}

export function sameLayout(a: readonly LayoutRow[], b: readonly LayoutRow[]): boolean {
  return a.length === b.length && a.every((r, i) => r.key === b[i]!.key && r.visible === b[i]!.visible);
}
