import { channels, genders, layoutSystemKeys, type Contact, type CustomField, type FieldType, type LayoutSystemKey } from '@switchboard/shared';

/**
 * The contact fields the console can display (table columns, side panel rows, layout editor).
 * Keys are the layout keys of `GET /layout/:surface`: a system key or `custom.<key>`.
 */

/** How a value is shown. Custom `select` fields display as `enum`. */
export type DisplayType = 'avatar' | 'text' | 'enum' | 'number' | 'boolean' | 'date' | 'datetime' | 'tags';

export interface ContactField {
  key: string;
  label: string;
  type: DisplayType;
  /** The custom field definition behind a `custom.<key>` field. */
  custom?: CustomField;
  /** Known choices of an `enum` field (channel, gender, select options). */
  options?: readonly string[];
  /** The raw value on a contact; `null` when unset. */
  value(contact: Contact): unknown;
  /** The value as text for a cell or a panel row; `''` when unset. */
  format(contact: Contact): string;
}

export const CUSTOM_PREFIX = 'custom.';

const systemSpecs: Record<LayoutSystemKey, { label: string; type: DisplayType; options?: readonly string[] }> = {
  avatar: { label: 'Avatar', type: 'avatar' },
  name: { label: 'Name', type: 'text' },
  firstName: { label: 'First name', type: 'text' },
  lastName: { label: 'Last name', type: 'text' },
  email: { label: 'Email', type: 'text' },
  phone: { label: 'Phone', type: 'text' },
  country: { label: 'Country', type: 'enum' },
  language: { label: 'Language', type: 'enum' },
  gender: { label: 'Gender', type: 'enum', options: genders },
  timezone: { label: 'Timezone', type: 'enum' },
  channel: { label: 'Channel', type: 'enum', options: channels },
  channelUserId: { label: 'Channel user ID', type: 'text' },
  tags: { label: 'Tags', type: 'tags' },
  subscribedAt: { label: 'Subscribed', type: 'datetime' },
  lastInteractionAt: { label: 'Last interaction', type: 'datetime' },
  createdAt: { label: 'Created', type: 'datetime' },
};

function systemValue(contact: Contact, key: LayoutSystemKey): unknown {
  return key === 'avatar' ? contact.avatarUrl : contact[key];
}

const displayTypeOf: Record<FieldType, DisplayType> = {
  text: 'text',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  select: 'enum',
};

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
// A date field is a calendar day (stored as UTC midnight): shown in UTC so it never shifts a day.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** Text of a value of the given display type; `''` for unset or unreadable values. */
export function formatValue(type: DisplayType, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  switch (type) {
    case 'number':
      return typeof value === 'number' ? numberFormat.format(value) : String(value);
    case 'boolean':
      return value === true ? 'Yes' : value === false ? 'No' : String(value);
    case 'date':
    case 'datetime': {
      const time = Date.parse(String(value));
      if (Number.isNaN(time)) return String(value);
      return (type === 'date' ? dateFormat : dateTimeFormat).format(time);
    }
    case 'tags':
      return Array.isArray(value) ? value.join(', ') : String(value);
    default:
      return String(value);
  }
}

function makeField(
  spec: Omit<ContactField, 'value' | 'format'>,
  value: (contact: Contact) => unknown,
): ContactField {
  return { ...spec, value, format: (contact) => formatValue(spec.type, value(contact)) };
}

/** The system fields, in the order of `layoutSystemKeys`. */
export const systemContactFields: readonly ContactField[] = layoutSystemKeys.map((key) =>
  makeField({ key, ...systemSpecs[key] }, (contact) => systemValue(contact, key) ?? null),
);

export function customFieldKey(key: string): string {
  return CUSTOM_PREFIX + key;
}

export function customContactField(field: CustomField): ContactField {
  return makeField(
    {
      key: customFieldKey(field.key),
      label: field.label,
      type: displayTypeOf[field.type],
      custom: field,
      options: field.type === 'select' ? field.options : undefined,
    },
    (contact) => contact.fields[field.key] ?? null,
  );
}

/** Every displayable field of a workspace: system fields, then custom fields by their position. */
export function contactFields(custom: readonly CustomField[]): ContactField[] {
  const sorted = [...custom].sort((a, b) => a.position - b.position);
  return [...systemContactFields, ...sorted.map(customContactField)];
}

/** Look-up by layout key. Keys of deleted custom fields simply are not there. */
export function fieldsByKey(fields: readonly ContactField[]): Map<string, ContactField> {
  return new Map(fields.map((f) => [f.key, f]));
}
