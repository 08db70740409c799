import type { ContactField } from '$lib/fields/registry';

const byType: Record<string, number> = { avatar: 44, tags: 220, boolean: 80, number: 110, datetime: 170, date: 130, enum: 120 };

/** Pixels per column. The table is `table-layout: fixed`: widths come from here, not from the rows rendered. */
export function columnWidth(field: ContactField): number {
  return field.key === 'name' ? 200 : field.key === 'email' ? 230 : field.key === 'phone' ? 150 : (byType[field.type] ?? 170);
}

export function tableWidth(columns: ContactField[]): number {
  return columns.reduce((sum, c) => sum + columnWidth(c), 0);
}
