import {
  channels,
  genders,
  operatorsByType,
  systemFields,
  type CustomField,
  type FieldType,
  type FilterType,
  type SystemField,
} from '@switchboard/shared';

/** Where the choices of a field come from. */
export type ChoiceSource =
  | { kind: 'fixed'; values: readonly string[] }
  | { kind: 'suggested'; list: 'language' | 'country' | 'timezone' }
  | { kind: 'catalogue'; list: 'tags' | 'sequences' | 'otnTopics' };

export type FieldGroup = 'Contact' | 'Activity' | 'Lists' | 'Custom fields';

/** A field a condition can test: the system fields of the filter language and `custom.<key>`. */
export interface FilterField {
  key: string;
  label: string;
  type: FilterType;
  group: FieldGroup;
  choices?: ChoiceSource;
}

const systemLabels: Record<SystemField, string> = {
  name: 'Name',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  phone: 'Phone',
  channelUserId: 'Channel user ID',
  gender: 'Gender',
  language: 'Language',
  timezone: 'Timezone',
  country: 'Country',
  channel: 'Channel',
  subscribedAt: 'Subscribed',
  lastInteractionAt: 'Last interaction',
  createdAt: 'Created',
  tags: 'Tags',
  sequences: 'Sequences',
  otnTopics: 'OTN topics',
};

const systemChoices: Partial<Record<SystemField, ChoiceSource>> = {
  gender: { kind: 'fixed', values: genders },
  channel: { kind: 'fixed', values: channels },
  language: { kind: 'suggested', list: 'language' },
  country: { kind: 'suggested', list: 'country' },
  timezone: { kind: 'suggested', list: 'timezone' },
  tags: { kind: 'catalogue', list: 'tags' },
  sequences: { kind: 'catalogue', list: 'sequences' },
  otnTopics: { kind: 'catalogue', list: 'otnTopics' },
};

function groupOf(type: FilterType): FieldGroup {
  if (type === 'datetime') return 'Activity';
  if (type === 'set') return 'Lists';
  return 'Contact';
}

/** The filter type of a custom field type: `select` filters as `enum`. */
export const filterTypeOf: Record<FieldType, FilterType> = {
  text: 'text',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  select: 'enum',
};

export const systemFilterFields: readonly FilterField[] = (Object.keys(systemFields) as SystemField[]).map((key) => ({
  key,
  label: systemLabels[key],
  type: systemFields[key],
  group: groupOf(systemFields[key]),
  choices: systemChoices[key],
}));

export function filterFields(custom: readonly CustomField[]): FilterField[] {
  const customFields = [...custom]
    .sort((a, b) => a.position - b.position)
    .map(
      (f): FilterField => ({
        key: `custom.${f.key}`,
        label: f.label,
        type: filterTypeOf[f.type],
        group: 'Custom fields',
        choices: f.type === 'select' ? { kind: 'fixed', values: f.options ?? [] } : undefined,
      }),
    );
  return [...systemFilterFields, ...customFields];
}

export const fieldGroups: readonly FieldGroup[] = ['Contact', 'Activity', 'Lists', 'Custom fields'];

const operatorLabels: Record<FilterType, Record<string, string>> = {
  text: {
    eq: 'is',
    neq: 'is not',
    contains: 'contains',
    notContains: 'does not contain',
    startsWith: 'starts with',
    endsWith: 'ends with',
    isSet: 'has any value',
    isNotSet: 'is empty',
  },
  number: { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', between: 'between', isSet: 'has any value', isNotSet: 'is empty' },
  date: {
    before: 'before',
    after: 'after',
    on: 'on',
    between: 'between',
    olderThanDays: 'more than … days ago',
    withinDays: 'less than … days ago',
    isSet: 'has any value',
    isNotSet: 'is empty',
  },
  datetime: {},
  boolean: { isTrue: 'is true', isFalse: 'is false', isNotSet: 'is empty' },
  enum: { eq: 'is', neq: 'is not', in: 'is any of', notIn: 'is none of', isSet: 'has any value', isNotSet: 'is empty' },
  set: { hasAnyOf: 'has any of', hasAllOf: 'has all of', hasNoneOf: 'has none of', isNotEmpty: 'has any', isEmpty: 'has none' },
};
operatorLabels.datetime = operatorLabels.date;

export interface OperatorOption {
  op: string;
  label: string;
}

/** The operators valid for a field type, in the order of the API, with their labels. */
export function operatorsFor(type: FilterType): OperatorOption[] {
  return operatorsByType[type].map((op) => ({ op, label: operatorLabels[type][op] ?? op }));
}

/** What kind of input an operator's value needs. */
export type ValueKind = 'none' | 'text' | 'number' | 'numberRange' | 'date' | 'dateRange' | 'days' | 'one' | 'many';

const noValue = new Set(['isSet', 'isNotSet', 'isTrue', 'isFalse', 'isEmpty', 'isNotEmpty']);

export function valueKind(type: FilterType, op: string): ValueKind {
  if (noValue.has(op)) return 'none';
  switch (type) {
    case 'text':
      return 'text';
    case 'number':
      return op === 'between' ? 'numberRange' : 'number';
    case 'date':
    case 'datetime':
      if (op === 'between') return 'dateRange';
      if (op === 'olderThanDays' || op === 'withinDays') return 'days';
      return 'date';
    case 'enum':
      return op === 'in' || op === 'notIn' ? 'many' : 'one';
    case 'set':
      return 'many';
    case 'boolean':
      return 'none';
  }
}

export function defaultValue(kind: ValueKind): unknown {
  switch (kind) {
    case 'none':
      return undefined;
    case 'text':
    case 'date':
    case 'one':
      return '';
    case 'number':
      return null;
    case 'days':
      return 30;
    case 'numberRange':
      return [null, null];
    case 'dateRange':
      return ['', ''];
    case 'many':
      return [];
  }
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isFilled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Why a value does not fit its input, before asking the server; null when it does. */
export function valueIssue(kind: ValueKind, value: unknown): string | null {
  switch (kind) {
    case 'none':
      return null;
    case 'text':
    case 'one':
      return isFilled(value) ? null : 'Enter a value';
    case 'date':
      return isFilled(value) ? null : 'Pick a date';
    case 'number':
      return isNumber(value) ? null : 'Enter a number';
    case 'days':
      return Number.isInteger(value) && (value as number) >= 0 ? null : 'Enter a whole number of days';
    case 'numberRange':
      return Array.isArray(value) && isNumber(value[0]) && isNumber(value[1]) ? null : 'Enter both numbers';
    case 'dateRange':
      return Array.isArray(value) && isFilled(value[0]) && isFilled(value[1]) ? null : 'Pick both dates';
    case 'many':
      return Array.isArray(value) && value.length > 0 ? null : 'Choose at least one';
  }
}
