import { z } from 'zod';
import { Id, IsoDateTime, Name } from './common.ts';
import { FieldType } from './enums.ts';
import { Filter } from './filter/schema.ts';

export const FIELD_KEY = /^[a-z][a-z0-9_]{0,49}$/;

export const CustomField = z
  .object({
    id: Id,
    key: z.string(),
    label: z.string(),
    type: FieldType,
    options: z.array(z.string()).optional(),
    position: z.number().int(),
  })
  .meta({ id: 'CustomField' });
export type CustomField = z.infer<typeof CustomField>;

const Options = z.array(z.string().trim().min(1).max(100)).min(1, 'a select field needs options').max(200);

export const CreateFieldBody = z
  .object({
    key: z.string().regex(FIELD_KEY, 'lower-case letters, digits and _, starting with a letter (max 50)'),
    label: Name,
    type: FieldType,
    options: Options.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.type === 'select' && !b.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select field needs options' });
    if (b.type !== 'select' && b.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'only select fields have options' });
  });
export type CreateFieldBody = z.infer<typeof CreateFieldBody>;

/** The key is immutable; the type can change only while no contact has a value. */
export const UpdateFieldBody = z.strictObject({
  label: Name.optional(),
  type: FieldType.optional(),
  options: Options.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type UpdateFieldBody = z.infer<typeof UpdateFieldBody>;
export const FieldParams = z.object({ workspaceId: Id, fieldId: Id });

export const Tag = z.object({ id: Id, name: z.string(), color: z.string().nullable(), contactCount: z.number().int() }).meta({ id: 'Tag' });
export type Tag = z.infer<typeof Tag>;
export const TagName = z.string().trim().min(1, 'must not be empty').max(100);
export const CreateTagBody = z.object({ name: TagName, color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional() });
export const UpdateTagBody = z.object({ name: TagName.optional(), color: z.string().regex(/^#[0-9a-fA-F]{6}$/).nullable().optional() });
export const TagParams = z.object({ workspaceId: Id, tagId: Id });

export const CatalogueItem = z.object({ id: Id, name: z.string(), contactCount: z.number().int() });
export type CatalogueItem = z.infer<typeof CatalogueItem>;

export const Segment = z
  .object({
    id: Id,
    name: z.string(),
    description: z.string().nullable(),
    filter: Filter,
    count: z.object({ value: z.number().int(), exact: z.boolean() }),
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Segment' });
export type Segment = z.infer<typeof Segment>;
// The tree is checked by the server against the workspace's fields (validateFilter), which
// names the first bad node (`filter.and[1].value`) better than a union error would.
const FilterInput = z.unknown().meta({ description: 'A filter tree (schema: Filter)' });
export const CreateSegmentBody = z.object({
  name: Name,
  description: z.string().trim().max(1000).optional(),
  filter: FilterInput,
});
export const UpdateSegmentBody = z.object({
  name: Name.optional(),
  description: z.string().trim().max(1000).nullable().optional(),
  filter: FilterInput.optional(),
});
export const SegmentParams = z.object({ workspaceId: Id, segmentId: Id });
export const MembershipParams = z.object({ workspaceId: Id, segmentId: Id, contactId: Id });

export const layoutSurfaces = ['contacts-table', 'side-panel'] as const;
export const LayoutSurface = z.enum(layoutSurfaces);
export type LayoutSurface = z.infer<typeof LayoutSurface>;
export const LayoutField = z.object({ key: z.string().min(1).max(120), visible: z.boolean() });
export const Layout = z
  .object({ fields: z.array(LayoutField).max(200), scope: z.enum(['workspace', 'agent', 'default']) })
  .meta({ id: 'Layout' });
export type Layout = z.infer<typeof Layout>;
/**
 * Most custom fields a workspace can have: each is a column of the contacts table layout, which
 * holds at most 200 entries with the built-in columns.
 */
export const MAX_CUSTOM_FIELDS = 150;

export const PutLayoutBody = z.object({ fields: z.array(LayoutField).max(200) });
export const LayoutParams = z.object({ workspaceId: Id, surface: LayoutSurface });
export const LayoutQuery = z.object({ scope: z.enum(['workspace', 'agent']).optional() });

/** Contact fields a layout can show, besides `custom.<key>` for each custom field. */
export const layoutSystemKeys = [
  'avatar',
  'name',
  'firstName',
  'lastName',
  'email',
  'phone',
  'country',
  'language',
  'gender',
  'timezone',
  'channel',
  'channelUserId',
  'tags',
  'subscribedAt',
  'lastInteractionAt',
  'createdAt',
] as const;
export type LayoutSystemKey = (typeof layoutSystemKeys)[number];
