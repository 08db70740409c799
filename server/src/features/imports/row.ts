import { z } from 'zod';
import { TagName } from '@switchboard/shared/catalogues';
import { fold } from '@switchboard/shared/filter/fold';
import { normalizePhone, normalizeProfile } from '../contacts/profile.ts';
import { storeValue, type StoredValue } from '../contacts/values.ts';
import type { FieldSpec, ImportPlan, ProfileColumn } from './plan.ts';

/** One CSV row made into what a contact stores (docs/DATA.md). Absent keys: the cell was empty. */
export interface ImportRow {
  phone: string;
  profile: Partial<Record<ProfileColumn, string>>;
  tags: string[];
  fields: { field: FieldSpec; stored: StoredValue }[];
}

export type RowResult = { ok: true; row: ImportRow } | { ok: false; errors: { column: string; message: string }[] };

const TAG_SEPARATORS = /[,;|]/;
const TRUE = new Set(['true', 'yes', 'y', '1', 'oui', 'ja', 'si', 'sí']);
const FALSE = new Set(['false', 'no', 'n', '0', 'non', 'nein']);

/** A cell for a custom field, read the way spreadsheets write values, then stored as the field's type. */
function fieldCell(field: FieldSpec) {
  return z.string().transform((raw, ctx): StoredValue | undefined => {
    const v = raw.trim();
    if (!v) return undefined;
    let value: unknown = v;
    if (field.type === 'number') {
      value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v) ? Number(v) : NaN;
      if (!Number.isFinite(value)) return void ctx.addIssue({ code: 'custom', message: `must be a number like 1234.5, got "${v}"` });
    } else if (field.type === 'boolean') {
      const f = fold(v);
      value = TRUE.has(f) ? true : FALSE.has(f) ? false : undefined;
      if (value === undefined) return void ctx.addIssue({ code: 'custom', message: `must be true or false (yes/no, 1/0), got "${v}"` });
    }
    const stored = storeValue({ ...field, options: field.options, position: 0 }, value);
    if ('error' in stored) return void ctx.addIssue({ code: 'custom', message: stored.error });
    return stored;
  });
}

/**
 * The zod schema of a row under a plan: one entry per mapped column, keyed by the column's name
 * so every issue names its column. Built once per import and run on every row.
 */
export function rowSchema(plan: ImportPlan) {
  const shape: Record<string, z.ZodType> = {};
  const name = (i: number) => plan.columns[i]!;
  shape[name(plan.phone)] = z.string().transform((raw, ctx) => {
    const v = raw.trim();
    if (!v) return void ctx.addIssue({ code: 'custom', message: 'is empty: every SMS or voice contact needs its phone number' });
    const r = normalizePhone(v, plan.defaultCountry);
    if ('error' in r) return void ctx.addIssue({ code: 'custom', message: `"${v}" ${r.error}` });
    return r.value;
  });
  for (const { index, field } of plan.profile) {
    shape[name(index)] = z.string().transform((raw, ctx) => {
      const r = normalizeProfile(field, raw);
      if ('error' in r) return void ctx.addIssue({ code: 'custom', message: `"${raw.trim()}" ${r.error}` });
      return r.value ?? undefined;
    });
  }
  for (const index of plan.tags) {
    shape[name(index)] = z.string().transform((raw, ctx) => {
      const names: string[] = [];
      const seen = new Set<string>();
      for (const part of raw.split(TAG_SEPARATORS)) {
        const parsed = TagName.safeParse(part);
        if (!parsed.success) {
          if (part.trim()) ctx.addIssue({ code: 'custom', message: `tag "${part.trim().slice(0, 40)}…" is longer than 100 characters` });
          continue;
        }
        const key = fold(parsed.data);
        if (!seen.has(key)) seen.add(key), names.push(parsed.data);
      }
      return names;
    });
  }
  for (const { index, field } of plan.fields) shape[name(index)] = fieldCell(field);
  return z.object(shape);
}

/** Validates rows under a plan: cells in, an ImportRow or the reasons (each naming its column) out. */
export function rowValidator(plan: ImportPlan): (cells: string[]) => RowResult {
  const schema = rowSchema(plan);
  const width = plan.columns.length;
  const mapped = [plan.phone, ...plan.profile.map((p) => p.index), ...plan.tags, ...plan.fields.map((f) => f.index)];
  return (cells) => {
    if (cells.length < width || cells.slice(width).some((c) => c.trim() !== '')) {
      return { ok: false, errors: [{ column: '(row)', message: `has ${cells.length} cells; the header has ${width}` }] };
    }
    const input: Record<string, string> = {};
    for (const i of mapped) input[plan.columns[i]!] = cells[i]!;
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return { ok: false, errors: parsed.error.issues.map((i) => ({ column: String(i.path[0] ?? '(row)'), message: i.message })) };
    }
    const out = parsed.data as Record<string, unknown>;
    const row: ImportRow = { phone: out[plan.columns[plan.phone]!] as string, profile: {}, tags: [], fields: [] };
    for (const { index, field } of plan.profile) {
      const v = out[plan.columns[index]!] as string | undefined;
      if (v !== undefined) row.profile[field] = v;
    }
    for (const index of plan.tags) row.tags.push(...(out[plan.columns[index]!] as string[]));
    for (const { index, field } of plan.fields) {
      const stored = out[plan.columns[index]!] as StoredValue | undefined;
      if (stored) row.fields.push({ field, stored });
    }
    return { ok: true, row };
  };
}

/** A rejected row's reasons in one cell of the error CSV: `phone: "12" is not a valid phone number; email: …`. */
export const describeErrors = (errors: { column: string; message: string }[]) => errors.map((e) => `${e.column}: ${e.message}`).join('; ');
