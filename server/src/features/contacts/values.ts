import type { FieldValue } from '@switchboard/shared';
import { fold } from '@switchboard/shared/filter/fold';
import type { FieldDef } from '../catalogue/service.ts';

/** The FieldValue row columns for one value (docs/DATA.md). */
export interface StoredValue {
  text: string | null;
  textKey: string | null;
  number: number | null;
  time: number | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function dateToMs(s: string): number | null {
  const m = DATE.exec(s);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Rejects 2026-02-30, which Date.UTC would roll over to March.
  return new Date(ms).toISOString().slice(0, 10) === s ? ms : null;
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Validates a wire value for a field; returns the stored columns or a message. */
export function storeValue(def: FieldDef, value: unknown): StoredValue | { error: string } {
  const empty = { text: null, textKey: null, number: null, time: null };
  switch (def.type) {
    case 'text': {
      if (typeof value !== 'string') return { error: 'must be a string' };
      const v = value.trim();
      if (!v) return { error: 'must not be empty (use clearField to remove a value)' };
      if (v.length > 10_000) return { error: 'must be at most 10,000 characters' };
      return { ...empty, text: v, textKey: fold(v) };
    }
    case 'select': {
      if (typeof value !== 'string') return { error: 'must be a string' };
      const option = def.options?.find((o) => fold(o) === fold(value.trim()));
      if (!option) return { error: `must be one of: ${(def.options ?? []).join(', ')}` };
      return { ...empty, text: option, textKey: fold(option) };
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { error: 'must be a number' };
      return { ...empty, number: value };
    case 'boolean':
      if (typeof value !== 'boolean') return { error: 'must be true or false' };
      return { ...empty, number: value ? 1 : 0 };
    case 'date': {
      const ms = typeof value === 'string' ? dateToMs(value) : null;
      if (ms === null) return { error: 'must be a date written YYYY-MM-DD' };
      return { ...empty, time: ms };
    }
    case 'datetime': {
      const ms = typeof value === 'string' && ISO_DATETIME.test(value) ? Date.parse(value) : NaN;
      if (!Number.isFinite(ms)) return { error: 'must be an ISO-8601 date and time with a zone, e.g. 2026-05-01T09:30:00Z' };
      return { ...empty, time: ms };
    }
  }
}

/** A stored row back to its wire value. */
export function wireValue(def: FieldDef, row: { text: string | null; number: number | null; time: number | null }): FieldValue | null {
  switch (def.type) {
    case 'text':
    case 'select':
      return row.text;
    case 'number':
      return row.number;
    case 'boolean':
      return row.number === null ? null : row.number === 1;
    case 'date':
      return row.time === null ? null : new Date(row.time).toISOString().slice(0, 10);
    case 'datetime':
      return row.time === null ? null : new Date(row.time).toISOString();
  }
}
