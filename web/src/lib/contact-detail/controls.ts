import { genders, type CustomField } from '@switchboard/shared';
import type { EditableProfileField } from './field-meta';

// Which form control edits which value.

export type Control =
  | { kind: 'text' | 'email' | 'tel'; maxlength?: number; placeholder?: string; suggestions?: readonly string[] }
  | { kind: 'number' | 'date' | 'datetime-local' }
  | { kind: 'checkbox' }
  | { kind: 'select'; options: readonly { value: string; label: string }[] };

let zones: readonly string[] | null = null;
/** The runtime's IANA zones, offered (not enforced: the server validates) while typing a timezone. */
function timeZones(): readonly string[] {
  zones ??= typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones;
}

export function profileControl(field: EditableProfileField): Control {
  switch (field) {
    case 'email':
      return { kind: 'email', maxlength: 254, placeholder: 'name@example.com' };
    case 'phone':
      return { kind: 'tel', maxlength: 40, placeholder: '+33612345678' };
    case 'gender':
      return {
        kind: 'select',
        options: [{ value: '', label: 'Not set' }, ...genders.map((g) => ({ value: g, label: g.charAt(0).toUpperCase() + g.slice(1) }))],
      };
    case 'language':
      return { kind: 'text', maxlength: 10, placeholder: 'en' };
    case 'country':
      return { kind: 'text', maxlength: 2, placeholder: 'FR' };
    case 'timezone':
      return { kind: 'text', maxlength: 64, placeholder: 'Europe/Paris', suggestions: timeZones() };
    default:
      return { kind: 'text', maxlength: 100 };
  }
}

export function customControl(field: CustomField): Control {
  switch (field.type) {
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'checkbox' };
    case 'date':
      return { kind: 'date' };
    case 'datetime':
      return { kind: 'datetime-local' };
    case 'select':
      return {
        kind: 'select',
        options: [{ value: '', label: 'Choose…' }, ...(field.options ?? []).map((o) => ({ value: o, label: o }))],
      };
    default:
      return { kind: 'text', maxlength: 1000 };
  }
}

/** A profile draft as the `setProfile` value: trimmed, and empty meaning "no value". */
export function profileValue(draft: string | boolean): string | null {
  const text = typeof draft === 'string' ? draft.trim() : '';
  return text === '' ? null : text;
}
