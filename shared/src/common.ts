import { z } from 'zod';

/** Ids are strings on the wire (integers inside). */
export const Id = z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be an id');
export type Id = z.infer<typeof Id>;

export const IsoDateTime = z.iso.datetime({ offset: true });

/** Route params of every workspace-scoped route. */
export const WorkspaceParams = z.object({ workspaceId: Id });

export const Email = z.string().trim().toLowerCase().pipe(z.email({ message: 'must be an email address' }).max(254));
export const Name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const Password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(200, 'must be at most 200 characters');

export const Ok = z.object({ ok: z.literal(true) });
