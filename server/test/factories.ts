import type { Channel, Role } from '@switchboard/shared';
import type { Db } from '../src/db/client.ts';
import { hashPassword } from '../src/features/auth/password.ts';
import { hashApiKey } from '../src/features/api-keys/service.ts';

let n = 0;
const next = () => ++n;
let cachedHash: Promise<string> | undefined;
export const DEFAULT_PASSWORD = 'password123';

export async function newAgent(db: Db, attrs: { email?: string; name?: string; password?: string } = {}) {
  const i = next();
  // One argon2 hash for the default password keeps factories fast.
  const passwordHash = attrs.password
    ? await hashPassword(attrs.password)
    : await (cachedHash ??= hashPassword(DEFAULT_PASSWORD));
  return db.tx((tx) =>
    tx.agent.create({
      data: { email: attrs.email ?? `agent${i}-${process.pid}@example.test`, name: attrs.name ?? `Agent ${i}`, passwordHash },
    }),
  );
}

export async function newWorkspace(db: Db, attrs: { name?: string } = {}) {
  return db.tx((tx) => tx.workspace.create({ data: { name: attrs.name ?? `Workspace ${next()}` } }));
}

export async function addMembership(db: Db, workspaceId: number, agentId: number, role: Role) {
  return db.tx((tx) => tx.membership.create({ data: { workspaceId, agentId, role } }));
}

/** A workspace with one agent per role; returns their emails for login. */
export async function newTeam(db: Db) {
  const workspace = await newWorkspace(db);
  const roles: Role[] = ['agent', 'supervisor', 'lead', 'admin'];
  const members = {} as Record<Role, { id: number; email: string }>;
  for (const role of roles) {
    const a = await newAgent(db, { name: `${role} ${workspace.id}` });
    await addMembership(db, workspace.id, a.id, role);
    members[role] = { id: a.id, email: a.email };
  }
  return { workspace, members };
}

export async function newContact(
  db: Db,
  attrs: { workspaceId: number; channel?: Channel; firstName?: string; lastName?: string; email?: string; phone?: string },
) {
  const i = next();
  const firstName = attrs.firstName ?? `First${i}`;
  const lastName = attrs.lastName ?? `Last${i}`;
  return db.tx((tx) =>
    tx.contact.create({
      data: {
        workspaceId: attrs.workspaceId,
        channel: attrs.channel ?? 'messenger',
        channelUserId: attrs.phone ?? `psid-${i}-${process.pid}`,
        firstName,
        lastName,
        nameKey: `${firstName} ${lastName}`.toLowerCase(),
        email: attrs.email ?? null,
        phone: attrs.phone ?? null,
        subscribedAt: new Date(),
        lastInteractionAt: new Date(),
      },
    }),
  );
}

export async function newConversation(db: Db, attrs: { workspaceId: number; contactId: number; texts?: string[] }) {
  const texts = attrs.texts ?? ['Hello', 'Hi, how can I help?'];
  return db.tx(async (tx) => {
    const conv = await tx.conversation.create({
      data: { workspaceId: attrs.workspaceId, contactId: attrs.contactId, channel: 'messenger', preview: texts.at(-1) ?? '' },
    });
    for (const [k, body] of texts.entries()) {
      await tx.message.create({
        data: {
          workspaceId: attrs.workspaceId,
          conversationId: conv.id,
          contactId: attrs.contactId,
          direction: k % 2 === 0 ? 'in' : 'out',
          authorKind: k % 2 === 0 ? 'contact' : 'agent',
          body,
        },
      });
    }
    return conv;
  });
}

export async function newField(
  db: Db,
  attrs: { workspaceId: number; key: string; type: 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'select'; options?: string[]; label?: string },
) {
  return db.tx((tx) =>
    tx.customField.create({
      data: { workspaceId: attrs.workspaceId, key: attrs.key, label: attrs.label ?? attrs.key, type: attrs.type, options: attrs.options ?? undefined },
    }),
  );
}

export async function newSequence(db: Db, workspaceId: number, name: string, contactIds: number[] = []) {
  return db.tx(async (tx) => {
    const s = await tx.sequence.create({ data: { workspaceId, name } });
    for (const contactId of contactIds) await tx.contactSequence.create({ data: { contactId, sequenceId: s.id } });
    return s;
  });
}

export async function newTopic(db: Db, workspaceId: number, name: string, contactIds: number[] = []) {
  return db.tx(async (tx) => {
    const t = await tx.otnTopic.create({ data: { workspaceId, name } });
    for (const contactId of contactIds) await tx.contactOtnTopic.create({ data: { contactId, topicId: t.id } });
    return t;
  });
}

/** A workspace API key (the secret is returned; only its hash is stored, as the route does). */
export async function newApiKey(db: Db, workspaceId: number, attrs: { name?: string; revoked?: boolean } = {}) {
  const key = `sb_test_${next()}_${Math.random().toString(36).slice(2)}`;
  const row = await db.tx((tx) =>
    tx.apiKey.create({
      data: { workspaceId, name: attrs.name ?? 'Integration', prefix: key.slice(0, 10), keyHash: hashApiKey(key), revokedAt: attrs.revoked ? new Date() : null },
    }),
  );
  return { id: row.id, key };
}
