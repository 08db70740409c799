import type { ContactSort } from '@switchboard/shared';
import { validation } from '../../lib/errors.ts';

/**
 * Keyset pagination. Nullable sort columns are paged in two phases — rows with a value in sort
 * order, then rows without one by id — so each phase is a plain range scan of the
 * (workspaceId, column, id) index. NULLs come last in every sort.
 */
export interface SortSpec {
  column: 'lastInteractionAt' | 'subscribedAt' | 'nameKey';
  dir: 'ASC' | 'DESC';
  nullable: boolean;
}

export const sortSpecs: Record<ContactSort, SortSpec> = {
  'lastInteractionAt:desc': { column: 'lastInteractionAt', dir: 'DESC', nullable: true },
  'subscribedAt:desc': { column: 'subscribedAt', dir: 'DESC', nullable: true },
  'subscribedAt:asc': { column: 'subscribedAt', dir: 'ASC', nullable: true },
  'name:asc': { column: 'nameKey', dir: 'ASC', nullable: false },
};

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
