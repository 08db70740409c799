import type { BulkAction, ContactCount, Filter } from '@switchboard/shared';
import { formatCount } from '$lib/jobs/format';
import { formatCountValue } from './count';

/** The contacts a job is about, as API.md's bodies name them: exactly one of the three. */
export type JobSelection = { contactIds: string[] } | { segmentId: string } | { filter: Filter };

/**
 * Matches every contact: the API wants exactly one selection, and "all contacts" is not a segment.
 * Every contact has a creation time.
 */
export const everyone: Filter = { field: 'createdAt', op: 'isSet' };

export interface ViewScope {
  filter: Filter | null;
  segmentId: string | null;
  /** A search narrows the rows by relevance; jobs cannot select by it, so "all matching" is off. */
  q: string;
}

/** "All matching" is offered only when the view is a filter, a segment or everything. */
export const canSelectAllMatching = (scope: ViewScope) => scope.q.trim() === '';

export function jobSelection(selection: { allMatching: boolean; ids: ReadonlySet<string> }, scope: ViewScope): JobSelection {
  if (!selection.allMatching) return { contactIds: [...selection.ids] };
  if (scope.segmentId) return { segmentId: scope.segmentId };
  return { filter: scope.filter ?? everyone };
}

/** "12 contacts", "all 2,000 matching contacts", "all 10,000+ matching contacts". */
export function selectionLabel(selection: { allMatching: boolean; ids: ReadonlySet<string> }, count: ContactCount | null): string {
  if (!selection.allMatching) return `${formatCount(selection.ids.size)} contact${selection.ids.size === 1 ? '' : 's'}`;
  if (!count) return 'all matching contacts';
  return `all ${formatCountValue(count)} matching contacts`;
}

export type BulkOp = BulkAction['op'];

export const bulkOpLabels: Record<BulkOp, string> = {
  addTag: 'Add tag',
  removeTag: 'Remove tag',
  setField: 'Set field',
  clearField: 'Clear field',
  removeSequence: 'Remove from sequence',
  delete: 'Delete',
};
