import type { Contact, CustomField, ProfileField } from '@switchboard/shared';
import { CUSTOM_PREFIX, contactFields, customContactField, formatValue, type ContactField } from '$lib/fields/registry';
import { EMPTY } from './format';

// What the drawer needs of the field registry: layout keys, labels, display text, and which
// profile fields it edits inline.

/** Every key a layout may hold in this workspace: system fields, then custom fields by position. */
export function layoutKeys(customFields: readonly CustomField[]): string[] {
  return contactFields(customFields).map((f) => f.key);
}

export function sortedFields(customFields: readonly CustomField[]): CustomField[] {
  return [...customFields].sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));
}

export function fieldOf(key: string, customFields: readonly CustomField[]): ContactField | undefined {
  return contactFields(customFields).find((f) => f.key === key);
}

export function customFieldOf(key: string, customFields: readonly CustomField[]): CustomField | undefined {
  if (!key.startsWith(CUSTOM_PREFIX)) return undefined;
  const k = key.slice(CUSTOM_PREFIX.length);
  return customFields.find((f) => f.key === k);
}

export function fieldLabel(key: string, customFields: readonly CustomField[]): string {
  return fieldOf(key, customFields)?.label ?? key;
}

/** Read-only display text of a layout key on a contact. */
export function displayValue(key: string, contact: Contact, customFields: readonly CustomField[]): string {
  return fieldOf(key, customFields)?.format(contact) || EMPTY;
}

/** A custom field value as text, typed by its definition. */
export function formatCustomValue(field: CustomField, value: unknown): string {
  return formatValue(customContactField(field).type, value) || EMPTY;
}

/** The profile fields an editor can change inline (`setProfile`); avatarUrl is not edited by hand. */
export const editableProfileFields = [
  'firstName',
  'lastName',
  'gender',
  'language',
  'timezone',
  'email',
  'phone',
  'country',
] as const satisfies readonly ProfileField[];
export type EditableProfileField = (typeof editableProfileFields)[number];

export function isEditableProfileField(key: string): key is EditableProfileField {
  return (editableProfileFields as readonly string[]).includes(key);
}
