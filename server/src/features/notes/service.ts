import type { Note } from '@switchboard/shared';
import { roleAtLeast, type Role } from '@switchboard/shared';
import type { Db, Sql, Tx } from '../../db/client.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { changeBy, recordAudit } from '../audit/service.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { loadContactDetail } from '../contacts/detail.ts';
import { publishContactChange } from '../contacts/broadcast.ts';

interface NoteRow {
  id: number;
  body: string;
  authorId: number | null;
  authorName: string | null;
  createdAt: number;
  updatedAt: number;
}

const toNote = (n: NoteRow): Note => ({
  id: String(n.id),
  body: n.body,
  author: n.authorId === null ? null : { id: String(n.authorId), name: n.authorName ?? '' },
  createdAt: new Date(n.createdAt).toISOString(),
  updatedAt: new Date(n.updatedAt).toISOString(),
});

export async function listNotes(sql: Sql, contactId: number): Promise<Note[]> {
  const rows = await sql.all<NoteRow>(
    'SELECT n.id, n.body, n.authorId, a.name AS authorName, n.createdAt, n.updatedAt FROM Note n LEFT JOIN Agent a ON a.id = n.authorId WHERE n.contactId = ? ORDER BY n.createdAt DESC, n.id DESC',
    [contactId],
  );
  return rows.map(toNote);
}

async function getNote(sql: Sql, noteId: number): Promise<NoteRow> {
  const row = await sql.get<NoteRow>(
    'SELECT n.id, n.body, n.authorId, a.name AS authorName, n.createdAt, n.updatedAt FROM Note n LEFT JOIN Agent a ON a.id = n.authorId WHERE n.id = ?',
    [noteId],
  );
  if (!row) throw notFound('Note');
  return row;
}

interface Caller {
  workspaceId: number;
  agentId: number;
  role: Role;
  gateway: Gateway;
}

/** Notes do not change the contact's version, but open side panels show them: push a change. */
async function inTxWithPush<T>(db: Db, caller: Caller, contactId: number, work: (tx: Tx) => Promise<{ result: T; from: unknown; to: unknown }>): Promise<T> {
  const outbox = caller.gateway.outbox();
  const result = await db.tx(async (tx, sql) => {
    const r = await work(tx);
    const detail = await loadContactDetail(sql, caller.workspaceId, contactId);
    await publishContactChange(sql, outbox, caller.workspaceId, detail, detail, [{ path: 'notes', from: r.from, to: r.to }], await changeBy(sql, { kind: 'agent', id: caller.agentId }));
    return r.result;
  });
  caller.gateway.publish(outbox);
  return result;
}

async function assertContact(db: Db, workspaceId: number, contactId: number) {
  const c = await db.prisma.contact.findFirst({ where: { id: contactId, workspaceId }, select: { id: true } });
  if (!c) throw notFound('Contact');
}

export async function addNote(db: Db, caller: Caller, contactId: number, body: string): Promise<Note> {
  await assertContact(db, caller.workspaceId, contactId);
  const id = await inTxWithPush(db, caller, contactId, async (tx) => {
    const note = await tx.note.create({ data: { workspaceId: caller.workspaceId, contactId, authorId: caller.agentId, body } });
    await recordAudit(tx, {
      workspaceId: caller.workspaceId,
      actor: { kind: 'agent', id: caller.agentId },
      contactId,
      action: 'note.added',
      changes: { noteId: note.id, body },
    });
    return { result: note.id, from: null, to: body };
  });
  return toNote(await getNote(db.sql, id));
}

/** Agents edit and delete their own notes; supervisors and above any note. Runs inside the write transaction. */
async function editableNote(tx: Tx, caller: Caller, contactId: number, noteId: number) {
  const note = await tx.note.findFirst({ where: { id: noteId, contactId, workspaceId: caller.workspaceId } });
  if (!note) throw notFound('Note');
  if (note.authorId !== caller.agentId && !roleAtLeast(caller.role, 'supervisor')) {
    throw forbidden("Only supervisors can change someone else's note");
  }
  return note;
}

export async function editNote(db: Db, caller: Caller, contactId: number, noteId: number, body: string): Promise<Note> {
  await inTxWithPush(db, caller, contactId, async (tx) => {
    const note = await editableNote(tx, caller, contactId, noteId);
    await tx.note.update({ where: { id: noteId }, data: { body } });
    await recordAudit(tx, {
      workspaceId: caller.workspaceId,
      actor: { kind: 'agent', id: caller.agentId },
      contactId,
      action: 'note.edited',
      changes: { noteId, body: [note.body, body] },
    });
    return { result: null, from: note.body, to: body };
  });
  return toNote(await getNote(db.sql, noteId));
}

export async function deleteNote(db: Db, caller: Caller, contactId: number, noteId: number): Promise<void> {
  await inTxWithPush(db, caller, contactId, async (tx) => {
    const note = await editableNote(tx, caller, contactId, noteId);
    await tx.note.delete({ where: { id: noteId } });
    await recordAudit(tx, {
      workspaceId: caller.workspaceId,
      actor: { kind: 'agent', id: caller.agentId },
      contactId,
      action: 'note.deleted',
      changes: { noteId, body: note.body },
    });
    return { result: null, from: note.body, to: null };
  });
}
