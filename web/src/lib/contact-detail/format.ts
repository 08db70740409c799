import { formatValue } from '$lib/fields/registry';

// Display text in the agent's own locale and time zone (the contact's zone is for its local time only).

export const EMPTY = '—';

export function formatDateTime(iso: string | null | undefined): string {
  return formatValue('datetime', iso) || EMPTY;
}

/** Any value of a conflict (`current` is untyped on the wire) as short text. */
export function formatUnknown(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'no value';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
