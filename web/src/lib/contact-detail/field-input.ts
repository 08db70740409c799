import type { FieldType, FieldValue } from '@switchboard/shared';

// Converting custom field values between the wire (FieldValue) and the form controls that edit them.
// Controls hold strings (checkboxes a boolean); the wire holds typed values: date → `YYYY-MM-DD`,
// datetime → ISO-8601 UTC. `<input type="datetime-local">` has no zone, so it edits in the agent's own.

export type Draft = string | boolean;

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO instant → `YYYY-MM-DDTHH:mm` in the browser's time zone, for `datetime-local`. */
export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `YYYY-MM-DDTHH:mm[:ss]` read in the browser's time zone → ISO UTC, or null when unreadable. */
export function localInputToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function toDraft(type: FieldType, value: FieldValue | null | undefined): Draft {
  if (type === 'boolean') return value === true;
  if (value === null || value === undefined) return '';
  if (type === 'datetime') return typeof value === 'string' ? isoToLocalInput(value) : '';
  if (type === 'date') return typeof value === 'string' ? value.slice(0, 10) : '';
  return String(value);
}

export type Parsed = { ok: true; value: FieldValue } | { ok: false; message: string };

/** The draft as the wire value; empty drafts are refused (clearing is its own action). */
export function fromDraft(type: FieldType, draft: Draft, options: readonly string[] = []): Parsed {
  if (type === 'boolean') return { ok: true, value: draft === true };
  const text = typeof draft === 'string' ? draft.trim() : '';
  if (!text) return { ok: false, message: 'Enter a value, or use Clear to remove it' };
  switch (type) {
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'must be a number' };
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? { ok: true, value: text } : { ok: false, message: 'must be a date' };
    case 'datetime': {
      const iso = localInputToIso(text);
      return iso ? { ok: true, value: iso } : { ok: false, message: 'must be a date and time' };
    }
    case 'select':
      return options.includes(text) ? { ok: true, value: text } : { ok: false, message: 'choose one of the options' };
    default:
      return { ok: true, value: text };
  }
}
