import { z } from 'zod';
import { Id, IsoDateTime } from './common.ts';
import { Channel } from './enums.ts';

/**
 * A custom field value on the wire: text/select → string, number → number, boolean → boolean,
 * date → "YYYY-MM-DD", datetime → ISO-8601 UTC string.
 */
export const FieldValue = z.union([z.string(), z.number(), z.boolean()]);
export type FieldValue = z.infer<typeof FieldValue>;

/** Profile fields an editor can set with `setProfile`. */
export const profileFields = [
  'firstName',
  'lastName',
  'gender',
  'language',
  'timezone',
  'avatarUrl',
  'email',
  'phone',
  'country',
] as const;
export const ProfileField = z.enum(profileFields);
export type ProfileField = z.infer<typeof ProfileField>;

export const Contact = z
  .object({
    id: Id,
    channel: Channel,
    channelUserId: z.string(),
    name: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    gender: z.string().nullable(),
    language: z.string().nullable(),
    timezone: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    country: z.string().nullable(),
    subscribedAt: IsoDateTime.nullable(),
    lastInteractionAt: IsoDateTime.nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    tags: z.array(z.string()),
    fields: z.record(z.string(), FieldValue),
    version: z.number().int(),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;

export const NamedRef = z.object({ id: Id, name: z.string() });

export const Note = z
  .object({
    id: Id,
    body: z.string(),
    author: z.object({ id: Id, name: z.string() }).nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Note' });
export type Note = z.infer<typeof Note>;

export const ContactDetail = Contact.extend({
  sequences: z.array(NamedRef.extend({ subscribedAt: IsoDateTime })),
  otnTopics: z.array(NamedRef.extend({ optedInAt: IsoDateTime })),
  notes: z.array(Note),
  segmentIds: z.array(Id),
}).meta({ id: 'ContactDetail' });
export type ContactDetail = z.infer<typeof ContactDetail>;

export const contactSorts = ['lastInteractionAt:desc', 'subscribedAt:desc', 'subscribedAt:asc', 'name:asc'] as const;
export const ContactSort = z.enum(contactSorts);
export type ContactSort = z.infer<typeof ContactSort>;

/** `filter` is JSON text in the query string; the server parses and validates it. */
export const ContactListQuery = z.object({
  filter: z.string().max(20_000).optional(),
  segmentId: Id.optional(),
  q: z.string().trim().max(200).optional(),
  sort: ContactSort.default('lastInteractionAt:desc'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ContactListQuery = z.input<typeof ContactListQuery>;

export const ContactCount = z.object({ value: z.number().int(), exact: z.boolean() });
export type ContactCount = z.infer<typeof ContactCount>;

export const ContactList = z
  .object({ items: z.array(Contact), nextCursor: z.string().nullable(), count: ContactCount })
  .meta({ id: 'ContactList' });
export type ContactList = z.infer<typeof ContactList>;

export const ContactParams = z.object({ workspaceId: Id, contactId: Id });
export const NoteParams = z.object({ workspaceId: Id, contactId: Id, noteId: Id });

/** Manual creation: SMS and voice contacts only, identified by phone. */
export const CreateContactBody = z.object({
  channel: z.enum(['sms', 'voice'], { error: 'contacts can be created by hand only for sms and voice' }),
  phone: z.string().trim().min(1, 'is required').max(40),
  /** ISO country used to read a phone number written without its country code. */
  defaultCountry: z.string().length(2).toUpperCase().optional(),
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
  email: z.string().trim().max(254).optional(),
  // Formats are checked by the server with the rest of the profile, so one answer names every bad field.
  gender: z.string().trim().max(100).optional(),
  language: z.string().trim().max(100).optional(),
  timezone: z.string().trim().max(100).optional(),
  country: z.string().trim().max(100).optional(),
});
export type CreateContactBody = z.infer<typeof CreateContactBody>;

const expected = z.unknown().optional();
export const ContactOp = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('addTag'), tag: z.string().trim().min(1).max(100) }),
  z.strictObject({ op: z.literal('removeTag'), tag: z.string().trim().min(1).max(100) }),
  z.strictObject({ op: z.literal('setField'), key: z.string().min(1).max(100), value: z.unknown(), expected }),
  z.strictObject({ op: z.literal('clearField'), key: z.string().min(1).max(100), expected }),
  z.strictObject({ op: z.literal('setProfile'), field: ProfileField, value: z.unknown(), expected }),
  z.strictObject({ op: z.literal('removeSequence'), sequenceId: Id }),
  z.strictObject({ op: z.literal('removeOtnTopic'), topicId: Id }),
]);
export type ContactOp = z.infer<typeof ContactOp>;

export const PatchContactBody = z.object({ ops: z.array(ContactOp).min(1, 'give at least one op').max(100) });
export type PatchContactBody = z.infer<typeof PatchContactBody>;

/** 409 details when `expected` no longer matches: the current value and who set it. */
export const ConflictDetails = z.object({
  path: z.string(),
  current: z.unknown(),
  changedBy: z.object({ kind: z.string(), id: Id.nullable(), name: z.string().nullable() }).nullable(),
});
export type ConflictDetails = z.infer<typeof ConflictDetails>;

export const NoteBody = z.object({ body: z.string().trim().min(1, 'must not be empty').max(10_000) });

export const HistoryEntry = z
  .object({
    id: Id,
    action: z.string(),
    actor: z.object({ kind: z.string(), id: Id.nullable(), name: z.string().nullable() }),
    changes: z.unknown(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'HistoryEntry' });
export type HistoryEntry = z.infer<typeof HistoryEntry>;
