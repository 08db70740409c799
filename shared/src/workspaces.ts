import { z } from 'zod';
import { Email, Id, IsoDateTime, Name, Password } from './common.ts';
import { Role } from './enums.ts';

export const Workspace = z.object({ id: Id, name: z.string(), role: Role, createdAt: IsoDateTime }).meta({ id: 'Workspace' });
export type Workspace = z.infer<typeof Workspace>;

export const CreateWorkspaceBody = z.object({ name: Name });

export const Member = z
  .object({ agentId: Id, email: z.string(), name: z.string(), role: Role, createdAt: IsoDateTime })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof Member>;

/** Creates the agent when the email is new; an existing agent just joins (its password is kept). */
export const AddMemberBody = z.object({ email: Email, name: Name, role: Role, password: Password });
export type AddMemberBody = z.infer<typeof AddMemberBody>;

export const UpdateMemberBody = z
  .object({ role: Role.optional(), name: Name.optional() })
  .refine((b) => b.role !== undefined || b.name !== undefined, { message: 'give role or name' });

export const MemberParams = z.object({ workspaceId: Id, agentId: Id });

export const ApiKey = z
  .object({
    id: Id,
    name: z.string(),
    prefix: z.string(),
    createdAt: IsoDateTime,
    lastUsedAt: IsoDateTime.nullable(),
    revokedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;

export const CreateApiKeyBody = z.object({ name: Name });
/** The key itself is returned once, at creation; only its hash is stored. */
export const CreatedApiKey = z.object({ id: Id, key: z.string(), name: z.string(), prefix: z.string() });
export const ApiKeyParams = z.object({ workspaceId: Id, keyId: Id });
