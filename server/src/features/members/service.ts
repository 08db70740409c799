import type { AddMemberBody, Member, Role } from '@switchboard/shared';
import type { Db, Tx } from '../../db/client.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { idOut, isoOut } from '../../lib/wire.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { hashPassword } from '../auth/password.ts';

type MemberRow = { agentId: number; role: string; createdAt: Date; agent: { email: string; name: string } };
const toMember = (m: MemberRow): Member => ({
  agentId: idOut(m.agentId),
  email: m.agent.email,
  name: m.agent.name,
  role: m.role as Role,
  createdAt: isoOut(m.createdAt),
});

export async function listMembers(db: Db, workspaceId: number): Promise<Member[]> {
  const rows = await db.prisma.membership.findMany({
    where: { workspaceId },
    include: { agent: { select: { email: true, name: true } } },
    orderBy: { agentId: 'asc' },
  });
  return rows.map(toMember);
}

/** Adds an agent to the workspace, creating the agent when the email is new. */
export async function addMember(db: Db, workspaceId: number, actor: Actor, body: AddMemberBody): Promise<Member> {
  // Hash outside the write transaction: it takes ~50 ms and the transaction holds the writer.
  const passwordHash = await hashPassword(body.password);
  return db.tx(async (tx) => {
    const agent =
      (await tx.agent.findUnique({ where: { email: body.email } })) ??
      (await tx.agent.create({ data: { email: body.email, name: body.name, passwordHash } }));
    const existing = await tx.membership.findUnique({
      where: { workspaceId_agentId: { workspaceId, agentId: agent.id } },
    });
    if (existing) throw conflict(`${body.email} is already a member`, { path: 'email', agentId: idOut(agent.id) });
    const m = await tx.membership.create({
      data: { workspaceId, agentId: agent.id, role: body.role },
      include: { agent: { select: { email: true, name: true } } },
    });
    await recordAudit(tx, { workspaceId, actor, action: 'member.added', changes: { agentId: agent.id, role: body.role } });
    return toMember(m);
  });
}

// A workspace must keep at least one admin, or nobody could manage it any more.
async function assertNotLastAdmin(tx: Tx, workspaceId: number, agentId: number) {
  const admins = await tx.membership.findMany({ where: { workspaceId, role: 'admin' }, select: { agentId: true } });
  if (admins.length === 1 && admins[0]!.agentId === agentId) {
    throw conflict('A workspace needs at least one admin', { path: 'role' });
  }
}

export async function updateMember(
  db: Db,
  workspaceId: number,
  actor: Actor,
  agentId: number,
  patch: { role?: Role; name?: string },
): Promise<Member> {
  return db.tx(async (tx) => {
    const m = await tx.membership.findUnique({ where: { workspaceId_agentId: { workspaceId, agentId } } });
    if (!m) throw notFound('Member');
    if (patch.role && patch.role !== 'admin' && m.role === 'admin') await assertNotLastAdmin(tx, workspaceId, agentId);
    if (patch.role) await tx.membership.update({ where: { id: m.id }, data: { role: patch.role } });
    if (patch.name) await tx.agent.update({ where: { id: agentId }, data: { name: patch.name } });
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: 'member.updated',
      changes: { agentId, ...(patch.role ? { role: [m.role, patch.role] } : {}), ...(patch.name ? { name: patch.name } : {}) },
    });
    const updated = await tx.membership.findUniqueOrThrow({
      where: { id: m.id },
      include: { agent: { select: { email: true, name: true } } },
    });
    return toMember(updated);
  });
}

export async function removeMember(db: Db, workspaceId: number, actor: Actor, agentId: number): Promise<void> {
  await db.tx(async (tx) => {
    const m = await tx.membership.findUnique({ where: { workspaceId_agentId: { workspaceId, agentId } } });
    if (!m) throw notFound('Member');
    if (m.role === 'admin') await assertNotLastAdmin(tx, workspaceId, agentId);
    await tx.membership.delete({ where: { id: m.id } });
    await recordAudit(tx, { workspaceId, actor, action: 'member.removed', changes: { agentId, role: m.role } });
  });
}
