import { layoutSystemKeys, type Contact, type FieldValue } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { validation } from '../../lib/errors.ts';
import type { Catalogue } from '../catalogue/service.ts';
import { getLayout } from '../layout/service.ts';

/**
 * Export columns are the contacts table's field keys (`name`, `email`, `custom.plan`…) plus
 * `id`, and the header row repeats them as they are, so a re-import maps them by name.
 */
const system = new Set<string>(['id', ...layoutSystemKeys]);

/** A cell as csv-stringify takes it: numbers stay numbers (a negative number is not a formula). */
export type Cell = string | number | null;

/** Checks the requested keys against the workspace's fields; an unknown one is a 400 naming it. */
export function checkColumns(columns: string[], catalogue: Catalogue): string[] {
  const seen = new Set<string>();
  columns.forEach((key, i) => {
    const known = system.has(key) || (key.startsWith('custom.') && catalogue.byKey.has(key.slice('custom.'.length)));
    if (!known) throw validation([{ path: `columns[${i}]`, message: `unknown column "${key}"` }]);
    if (seen.has(key)) throw validation([{ path: `columns[${i}]`, message: `"${key}" is listed twice` }]);
    seen.add(key);
  });
  return columns;
}

/** The caller's visible contacts-table columns, in their order (their own layout, else the workspace's). */
export async function visibleColumns(db: Db, workspaceId: number, agentId: number): Promise<string[]> {
  const layout = await getLayout(db, workspaceId, agentId, 'contacts-table');
  return layout.fields.filter((f) => f.visible).map((f) => f.key);
}

/** Custom values by type: dates as YYYY-MM-DD, datetimes ISO, booleans true/false (docs/DATA.md wire forms). */
function customCell(value: FieldValue | undefined): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value;
}

/** One contact as the row of `columns`. Tags are one cell, joined with ", " (the import splits on , ; |). */
export function toRow(contact: Contact, columns: string[]): Cell[] {
  return columns.map((key): Cell => {
    if (key.startsWith('custom.')) return customCell(contact.fields[key.slice('custom.'.length)]);
    switch (key) {
      case 'avatar':
        return contact.avatarUrl;
      case 'tags':
        return contact.tags.join(', ');
      default:
        return (contact as unknown as Record<string, string | null>)[key] ?? null;
    }
  });
}
