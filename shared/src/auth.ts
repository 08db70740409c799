import { z } from 'zod';
import { Email, Id, Name, Password } from './common.ts';
import { Role } from './enums.ts';

export const LoginBody = z.object({
  email: Email,
  password: z.string().min(1, 'is required').max(200),
});
export type LoginBody = z.infer<typeof LoginBody>;

/** A new password ends every other session of the agent; the one that changed it stays. */
export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1, 'is required').max(200),
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

/** How many sessions a sign-out-everywhere or a password change ended. */
export const SessionsEnded = z.object({ ended: z.number().int() });
export type SessionsEnded = z.infer<typeof SessionsEnded>;

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
