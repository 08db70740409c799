import type { Me } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { idOut } from '../../lib/wire.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.ts';

/** The agent id for good credentials, or null. Unknown emails cost the same time as wrong passwords. */
export async function checkCredentials(db: Db, email: string, password: string): Promise<number | null> {
  const agent = await db.prisma.agent.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  if (!agent) {
    await burnPasswordCheck(password);
    return null;
  }
  return (await verifyPassword(agent.passwordHash, password)) ? agent.id : null;
}

export async function getMe(db: Db, agentId: number): Promise<Me> {
  const agent = await db.prisma.agent.findUnique({
    where: { id: agentId },
    include: { memberships: { include: { workspace: { select: { name: true } } }, orderBy: { workspaceId: 'asc' } } },
  });
  if (!agent) throw notFound('Agent');
  return {
    agent: { id: idOut(agent.id), email: agent.email, name: agent.name, avatarUrl: agent.avatarUrl },
    memberships: agent.memberships.map((m) => ({
      workspaceId: idOut(m.workspaceId),
      role: m.role as Me['memberships'][number]['role'],
      name: m.workspace.name,
    })),
  };
}

/** Replaces the agent's password after checking the current one; false when that check fails. */
export async function changePassword(db: Db, agentId: number, current: string, next: string): Promise<boolean> {
  const agent = await db.prisma.agent.findUnique({ where: { id: agentId }, select: { passwordHash: true } });
  if (!agent || !(await verifyPassword(agent.passwordHash, current))) return false;
  const passwordHash = await hashPassword(next);
  await db.tx((tx) => tx.agent.update({ where: { id: agentId }, data: { passwordHash } }));
  return true;
}
