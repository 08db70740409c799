import type { Role, Workspace } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { idOut, isoOut } from '../../lib/wire.ts';
import { recordAudit } from '../audit/service.ts';

export async function listWorkspaces(db: Db, agentId: number): Promise<Workspace[]> {
  const rows = await db.prisma.membership.findMany({
    where: { agentId },
    include: { workspace: true },
    orderBy: { workspaceId: 'asc' },
  });
  return rows.map((m) => ({
    id: idOut(m.workspace.id),
    name: m.workspace.name,
    role: m.role as Role,
    createdAt: isoOut(m.workspace.createdAt),
  }));
}

export async function getWorkspace(db: Db, workspaceId: number, role: Role): Promise<Workspace> {
  const w = await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  return { id: idOut(w.id), name: w.name, role, createdAt: isoOut(w.createdAt) };
}

/** Creates a workspace; its creator becomes its admin. */
export async function createWorkspace(db: Db, agentId: number, name: string): Promise<Workspace> {
  const w = await db.tx(async (tx) => {
    const created = await tx.workspace.create({ data: { name } });
    await tx.membership.create({ data: { workspaceId: created.id, agentId, role: 'admin' } });
    await recordAudit(tx, {
      workspaceId: created.id,
      actor: { kind: 'agent', id: agentId },
      action: 'workspace.created',
      changes: { name },
    });
    return created;
  });
  return { id: idOut(w.id), name: w.name, role: 'admin', createdAt: isoOut(w.createdAt) };
}
