import type { ContactSort } from '@switchboard/shared';

/** The sorts a column header offers: a click cycles through them, starting with the first. */
export const columnSorts: Partial<Record<string, readonly ContactSort[]>> = {
  name: ['name:asc'],
  lastInteractionAt: ['lastInteractionAt:desc'],
  subscribedAt: ['subscribedAt:desc', 'subscribedAt:asc'],
};

export const sortLabels: Record<ContactSort, string> = {
  'lastInteractionAt:desc': 'Recent activity first',
  'subscribedAt:desc': 'Newest subscribers first',
  'subscribedAt:asc': 'Oldest subscribers first',
  'name:asc': 'Name, A to Z',
};

/** The sort a click on a column's header asks for; null when the column does not sort. */
export function nextColumnSort(key: string, current: ContactSort): ContactSort | null {
  const sorts = columnSorts[key];
  if (!sorts) return null;
  const at = sorts.indexOf(current);
  return sorts[(at + 1) % sorts.length] ?? null;
}

/** aria-sort of a column header under the current sort. */
export function ariaSort(key: string, current: ContactSort): 'ascending' | 'descending' | undefined {
  if (!columnSorts[key]?.includes(current)) return undefined;
  return current.endsWith(':asc') ? 'ascending' : 'descending';
}
