import { z } from 'zod';
import { Email, Id, Name } from './common.ts';
import { Role } from './enums.ts';

export const LoginBody = z.object({
  email: Email,
  password: z.string().min(1, 'is required').max(200),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const MembershipSummary = z.object({ workspaceId: Id, role: Role, name: z.string() });
export type MembershipSummary = z.infer<typeof MembershipSummary>;

export const AgentProfile = z.object({
  id: Id,
  email: z.string(),
  name: Name,
  avatarUrl: z.string().nullable(),
});
export type AgentProfile = z.infer<typeof AgentProfile>;

export const Me = z.object({ agent: AgentProfile, memberships: z.array(MembershipSummary) }).meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;
