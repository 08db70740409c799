import { z } from 'zod';

/**
 * The filter language of API.md: a condition or a group, nestable.
 * This schema checks the *shape*; `validateFilter` (validate.ts) checks it against a workspace's
 * field catalogue (field exists, operator fits its type, value fits the operator).
 */
export const MAX_FILTER_DEPTH = 6;
export const MAX_FILTER_CONDITIONS = 100;

export const Condition = z.strictObject({
  field: z.string().min(1).max(100),
  op: z.string().min(1).max(30),
  value: z.unknown().optional(),
});
export type Condition = z.infer<typeof Condition>;

export type Filter = Condition | { and: Filter[] } | { or: Filter[] } | { not: Filter };

export const Filter: z.ZodType<Filter> = z.lazy(() =>
  z.union([
    z.strictObject({ and: z.array(Filter).min(1, 'a group needs at least one condition') }),
    z.strictObject({ or: z.array(Filter).min(1, 'a group needs at least one condition') }),
    z.strictObject({ not: Filter }),
    Condition,
  ]),
).meta({ id: 'Filter' });

/** Value types of filterable fields. Custom `select` fields filter as `enum`. */
export const filterTypes = ['text', 'number', 'date', 'datetime', 'boolean', 'enum', 'set'] as const;
export type FilterType = (typeof filterTypes)[number];

/** Operators per type, exactly as API.md lists them. */
export const operatorsByType = {
  text: ['eq', 'neq', 'contains', 'notContains', 'startsWith', 'endsWith', 'isSet', 'isNotSet'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'isSet', 'isNotSet'],
  date: ['before', 'after', 'on', 'between', 'olderThanDays', 'withinDays', 'isSet', 'isNotSet'],
  datetime: ['before', 'after', 'on', 'between', 'olderThanDays', 'withinDays', 'isSet', 'isNotSet'],
  boolean: ['isTrue', 'isFalse', 'isNotSet'],
  enum: ['eq', 'neq', 'in', 'notIn', 'isSet', 'isNotSet'],
  set: ['hasAnyOf', 'hasAllOf', 'hasNoneOf', 'isEmpty', 'isNotEmpty'],
} as const satisfies Record<FilterType, readonly string[]>;

export type Operator = (typeof operatorsByType)[FilterType][number];

/** System fields of a contact and their filter types. */
export const systemFields = {
  name: 'text',
  firstName: 'text',
  lastName: 'text',
  email: 'text',
  phone: 'text',
  channelUserId: 'text',
  gender: 'enum',
  language: 'enum',
  timezone: 'enum',
  country: 'enum',
  channel: 'enum',
  subscribedAt: 'datetime',
  lastInteractionAt: 'datetime',
  createdAt: 'datetime',
  tags: 'set',
  sequences: 'set',
  otnTopics: 'set',
} as const satisfies Record<string, FilterType>;

export type SystemField = keyof typeof systemFields;

/** A workspace's filterable fields: the system ones plus `custom.<key>` for each custom field. */
export interface FieldCatalogue {
  custom: Record<string, { type: 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'select'; options?: string[] }>;
}
