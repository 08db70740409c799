import {
  FIELD_KEY,
  NewFieldFromColumn,
  ValidationIssue,
  type CustomField,
  type ImportUpload,
  type MappingTarget,
  type OnExisting,
  type StartImportBody,
} from '@switchboard/shared';

/** What a CSV column becomes: a target of the contract, or a custom field created when the import starts. */
export type ColumnTarget = MappingTarget | 'new';

export interface NewField {
  key: string;
  label: string;
  type: 'text' | 'number' | 'boolean' | 'date' | 'datetime';
}

export interface ColumnMapping {
  column: string;
  /** A few distinct non-empty cells of the preview, so the target can be chosen by looking. */
  samples: string[];
  target: ColumnTarget;
  /** Used when `target` is `new`; kept while another target is tried, so nothing typed is lost. */
  newField: NewField;
}

export interface ImportOptions {
  channel: 'sms' | 'voice';
  defaultCountry: string;
  onExisting: OnExisting;
}

export const newFieldTypes: NewField['type'][] = ['text', 'number', 'boolean', 'date', 'datetime'];

export const profileTargets = [
  { value: 'firstName', label: 'First name' },
  { value: 'lastName', label: 'Last name' },
  { value: 'phone', label: 'Phone' },
  { value: 'email', label: 'Email' },
  { value: 'gender', label: 'Gender' },
  { value: 'language', label: 'Language' },
  { value: 'timezone', label: 'Timezone' },
  { value: 'country', label: 'Country' },
] as const;

/** Targets that can take one column only; several columns of tags are all read. */
const singleTargets = (target: ColumnTarget) => target !== 'ignore' && target !== 'tags' && target !== 'new';

export function targetLabel(target: ColumnTarget, customFields: readonly CustomField[]): string {
  if (target === 'ignore') return 'Ignore';
  if (target === 'tags') return 'Tags';
  if (target === 'new') return 'New custom field';
  const profile = profileTargets.find((p) => p.value === target);
  if (profile) return profile.label;
  const key = target.slice('custom.'.length);
  return customFields.find((f) => f.key === key)?.label ?? key;
}

/** A field key from a header: "Loyalty Tier (2024)" → `loyalty_tier_2024`. */
export function suggestKey(column: string): string {
  const words = column
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const key = /^[a-z]/.test(words) ? words : `field_${words}`.replace(/_+$/, '');
  // The fields API takes keys up to 50 characters.
  return key.slice(0, 50).replace(/_+$/, '');
}

export function samplesOf(upload: ImportUpload, index: number, max = 3): string[] {
  const out: string[] = [];
  for (const row of upload.preview) {
    const cell = (row[index] ?? '').trim();
    if (cell && !out.includes(cell)) out.push(cell);
    if (out.length === max) break;
  }
  return out;
}

/** The first mapping shown: the server's guess; a guess naming a field that no longer exists becomes a new one. */
export function initialMapping(upload: ImportUpload, customFields: readonly CustomField[]): ColumnMapping[] {
  return upload.columns.map((column, index) => {
    let target: ColumnTarget = upload.suggestedMapping[column] ?? 'ignore';
    if (target.startsWith('custom.') && !customFields.some((f) => `custom.${f.key}` === target)) target = 'new';
    return { column, samples: samplesOf(upload, index), target, newField: { key: suggestKey(column), label: column.trim().slice(0, 100) || column, type: 'text' } };
  });
}

/** Keys of the errors a form shows: one per mapping select, per new-field input and per option. */
export const mappingKey = (column: string) => `mapping:${column}`;
export const newFieldKey = (column: string, part: keyof NewField) => `new:${column}:${part}`;

export type FieldErrors = Record<string, string>;

/** The mistakes the console can see before asking the server, keyed like `placeIssues`. */
export function checkMapping(rows: readonly ColumnMapping[], customFields: readonly CustomField[]): FieldErrors {
  const errors: FieldErrors = {};
  const firstColumnOf = new Map<string, string>();
  for (const row of rows) {
    const target = row.target === 'new' ? `custom.${row.newField.key}` : row.target;
    if (row.target !== 'new' && !singleTargets(row.target)) continue;
    const earlier = firstColumnOf.get(target);
    if (earlier !== undefined) {
      const where = row.target === 'new' ? newFieldKey(row.column, 'key') : mappingKey(row.column);
      errors[where] = `Column “${earlier}” is already imported as ${targetLabel(target as MappingTarget, customFields)}.`;
    } else firstColumnOf.set(target, row.column);
  }
  for (const row of rows) {
    if (row.target !== 'new') continue;
    const parsed = NewFieldFromColumn.safeParse({ column: row.column, ...row.newField });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const part = issue.path[0] as keyof NewField;
        errors[newFieldKey(row.column, part)] ??= issue.message;
      }
    } else if (!FIELD_KEY.test(row.newField.key)) {
      errors[newFieldKey(row.column, 'key')] ??= 'must be at most 50 characters';
    } else if (customFields.some((f) => f.key === row.newField.key)) {
      errors[newFieldKey(row.column, 'key')] ??= 'a custom field with this key exists: choose it in the list instead';
    }
  }
  if (!rows.some((r) => r.target === 'phone')) {
    // SMS and voice contacts are identified by their phone number.
    const phoneLike = rows.find((r) => /phone|mobile|cell|tel/i.test(r.column)) ?? rows[0];
    if (phoneLike) errors[mappingKey(phoneLike.column)] ??= 'Map one column to Phone: SMS and voice contacts are identified by it.';
  }
  return errors;
}

/** The body of `/imports/:jobId/start` for what the form shows. */
export function startBody(rows: readonly ColumnMapping[], options: ImportOptions): StartImportBody {
  const mapping: Record<string, MappingTarget> = {};
  const createFields: NonNullable<StartImportBody['createFields']> = [];
  for (const row of rows) {
    if (row.target === 'new') {
      mapping[row.column] = `custom.${row.newField.key}`;
      createFields.push({ column: row.column, key: row.newField.key, label: row.newField.label.trim(), type: row.newField.type });
    } else mapping[row.column] = row.target;
  }
  return {
    mapping,
    channel: options.channel,
    defaultCountry: options.defaultCountry.trim().toUpperCase(),
    onExisting: options.onExisting,
    ...(createFields.length ? { createFields } : {}),
  };
}

const optionNames = ['channel', 'defaultCountry', 'onExisting'] as const;

/**
 * Puts a 400's `details: [{ path, message }]` next to the input it names: `mapping.<column>`,
 * `createFields[i].<part>` (i in the order `startBody` sent them) and the options. What names no
 * input is returned as `other`.
 */
export function placeIssues(details: unknown, rows: readonly ColumnMapping[]): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  const created = rows.filter((r) => r.target === 'new');
  for (const raw of Array.isArray(details) ? details : []) {
    const parsed = ValidationIssue.safeParse(raw);
    if (!parsed.success) continue;
    const { path, message } = parsed.data;
    const key = keyOfPath(path, rows, created);
    if (key) fields[key] ??= message;
    else other.push(path && path !== '(root)' ? `${path}: ${message}` : message);
  }
  return { fields, other };
}

function keyOfPath(path: string, rows: readonly ColumnMapping[], created: readonly ColumnMapping[]): string | null {
  if (path.startsWith('mapping.')) {
    const column = path.slice('mapping.'.length);
    return rows.some((r) => r.column === column) ? mappingKey(column) : null;
  }
  const m = /^createFields\[(\d+)\](?:\.(key|label|type|column))?/.exec(path);
  if (m) {
    const row = created[Number(m[1])];
    if (!row) return null;
    const part = m[2] === 'label' || m[2] === 'type' ? m[2] : 'key';
    return newFieldKey(row.column, part);
  }
  const name = /^[A-Za-z]+/.exec(path)?.[0];
  return name && (optionNames as readonly string[]).includes(name) ? name : null;
}

/** The console's country as a default for phone numbers without a country code ("en-GB" → GB). */
export function localCountry(languages: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages ?? []): string {
  for (const tag of languages) {
    const region = /-([A-Z]{2})(?:-|$)/i.exec(tag)?.[1];
    if (region) return region.toUpperCase();
  }
  return 'US';
}
