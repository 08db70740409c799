import type { ContactSort } from '@switchboard/shared';
import { validation } from '../../lib/errors.ts';

/**
 * Keyset pagination in two phases: rows with a value in sort order, then rows without one by
 * id. Each phase is a plain range scan of the (workspaceId, column, id) index, and contacts
 * without a value (never interacted, no name) come last in every sort.
 */
export interface SortSpec {
  column: 'lastInteractionAt' | 'subscribedAt' | 'nameKey';
  dir: 'ASC' | 'DESC';
  /** How "no value" is stored: times as NULL, a missing name as '' (docs/DATA.md). */
  empty: 'null' | 'emptyString';
  /** The (workspaceId, column, id) index both phases read in order. */
  index: string;
}

export const sortSpecs: Record<ContactSort, SortSpec> = {
  'lastInteractionAt:desc': { column: 'lastInteractionAt', dir: 'DESC', empty: 'null', index: 'Contact_workspaceId_lastInteractionAt_id_idx' },
  'subscribedAt:desc': { column: 'subscribedAt', dir: 'DESC', empty: 'null', index: 'Contact_workspaceId_subscribedAt_id_idx' },
  'subscribedAt:asc': { column: 'subscribedAt', dir: 'ASC', empty: 'null', index: 'Contact_workspaceId_subscribedAt_id_idx' },
  'name:asc': { column: 'nameKey', dir: 'ASC', empty: 'emptyString', index: 'Contact_workspaceId_nameKey_id_idx' },
};

/**
 * `(col, c.id)` strictly after (`from: false`) or at most up to (`from: true`, inclusive the
 * other way) the key `(value, id)` in `dir` order. Written as `col <= ? AND (col < ? OR
 * c.id < ?)` rather than the row value `(col, c.id) < (?, ?)`: SQLite turns only the former
 * into a range of the index read in order; the row value made it skip-scan the index and sort
 * what it found (page 200 of a name sort cost 300× page 1).
 */
export function keyAfter(col: string, dir: 'ASC' | 'DESC', value: KeyParam, id: number, inclusive = false): { sql: string; params: (KeyParam | number)[] } {
  const [cmp, loose] = dir === 'DESC' ? ['<', '<='] : ['>', '>='];
  const idCmp = inclusive ? loose : cmp;
  return { sql: `${col} ${loose} ? AND (${col} ${cmp} ? OR c.id ${idCmp} ?)`, params: [value, value, id] };
}

/** A sort value as a SQL parameter: a time sort's column is a DateTime, bound as a Date (db/sql.ts). */
export type KeyParam = string | number | Date;

/** A sort value read from a row or a cursor (times are unix ms) as the parameter its column wants. */
export function keyParam(spec: SortSpec, value: string | number): KeyParam {
  // A forged cursor may carry text for a time sort; it is compared as it is, as before.
  return spec.empty === 'null' && typeof value === 'number' ? new Date(value) : value;
}

/** phase 0: rows with a value, after (value, id); phase 1: rows without, after id. */
export interface Cursor {
  sort: ContactSort;
  phase: 0 | 1;
  value: string | number | null;
  id: number;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.sort, c.phase, c.value, c.id])).toString('base64url');

export function decodeCursor(text: string, sort: ContactSort): Cursor {
  try {
    const [s, phase, value, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (s === sort && (phase === 0 || phase === 1) && Number.isSafeInteger(id) && (value === null || ['string', 'number'].includes(typeof value))) {
      return { sort, phase, value: value as Cursor['value'], id: id as number };
    }
  } catch {
    // fall through
  }
  throw validation([{ path: 'cursor', message: 'is not a cursor of this list and sort (start again without it)' }]);
}
