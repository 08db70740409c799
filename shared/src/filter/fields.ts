import type { FieldType } from '../enums.ts';
import { operatorsByType, systemFields, type FieldCatalogue, type FilterType, type SystemField } from './schema.ts';

/** A filter's `field`, resolved against the system fields and a workspace's custom fields. */
export type FieldRef =
  | { kind: 'system'; name: SystemField; type: FilterType }
  | { kind: 'custom'; key: string; type: FilterType; fieldType: FieldType };

export type Resolved = { ok: true; ref: FieldRef } | { ok: false; message: string };

const CUSTOM = 'custom.';

/**
 * System text fields whose stored value is already folded (docs/DATA.md: `nameKey`, lower-cased
 * `email`, E.164 `phone`). Both back ends compare them without folding again, so SQL can use
 * their indexes.
 */
export const foldedSystemFields: ReadonlySet<SystemField> = new Set<SystemField>(['name', 'email', 'phone']);

/** The filter type a custom field type filters as (a select filters as an enum). */
export function filterTypeOf(type: FieldType): FilterType {
  return type === 'select' ? 'enum' : type;
}

export function resolveField(field: string, catalogue: FieldCatalogue): Resolved {
  if (field.startsWith(CUSTOM)) {
    const key = field.slice(CUSTOM.length);
    const def = Object.hasOwn(catalogue.custom, key) ? catalogue.custom[key] : undefined;
    if (!def) return { ok: false, message: `the custom field ${field} does not exist in this workspace` };
    return { ok: true, ref: { kind: 'custom', key, type: filterTypeOf(def.type), fieldType: def.type } };
  }
  if (Object.hasOwn(systemFields, field)) {
    const name = field as SystemField;
    return { ok: true, ref: { kind: 'system', name, type: systemFields[name] } };
  }
  return {
    ok: false,
    message: `unknown field "${field}"; use one of ${Object.keys(systemFields).join(', ')} or custom.<key>`,
  };
}

export function operatorsOf(ref: FieldRef): readonly string[] {
  return operatorsByType[ref.type];
}

/** How the field's type is named to a user: custom fields by their own type (`select`). */
export function typeLabel(ref: FieldRef): string {
  return ref.kind === 'custom' ? ref.fieldType : ref.type;
}
