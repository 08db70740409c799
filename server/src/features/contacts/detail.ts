import type { ContactDetail } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import { notFound } from '../../lib/errors.ts';
import { loadCatalogue, type Catalogue } from '../catalogue/service.ts';
import { listNotes } from '../notes/service.ts';
import { segmentMatcher, toFilterContact } from '../segments/evaluate.ts';
import { contactOfRow, findContactRow, serializeContacts, type ContactRow } from './serialize.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** The contact with everything the side panel shows; `row` when the caller has just read it. */
export async function loadContactDetail(
  sql: Sql,
  workspaceId: number,
  contactId: number,
  catalogue?: Catalogue,
  knownRow?: ContactRow,
): Promise<ContactDetail> {
  catalogue ??= await loadCatalogue(sql, workspaceId);
  const row = knownRow ?? (await findContactRow(sql, workspaceId, contactId));
  if (!row) throw notFound('Contact');
  const [contact] = await serializeContacts(sql, catalogue, [row]);
  const sequences = await sql.all<{ id: number; name: string; subscribedAt: number }>(
    'SELECT s.id, s.name, cs.subscribedAt FROM ContactSequence cs JOIN Sequence s ON s.id = cs.sequenceId WHERE cs.contactId = ? ORDER BY s.name',
    [contactId],
  );
  const topics = await sql.all<{ id: number; name: string; optedInAt: number }>(
    'SELECT t.id, t.name, ct.optedInAt FROM ContactOtnTopic ct JOIN OtnTopic t ON t.id = ct.topicId WHERE ct.contactId = ? ORDER BY t.name',
    [contactId],
  );
  const base = {
    ...contact!,
    sequences: sequences.map((s) => ({ id: String(s.id), name: s.name, subscribedAt: iso(s.subscribedAt) })),
    otnTopics: topics.map((t) => ({ id: String(t.id), name: t.name, optedInAt: iso(t.optedInAt) })),
  };
  return { ...base, notes: await listNotes(sql, contactId), segmentIds: (await segmentMatcher(sql, workspaceId, catalogue))(toFilterContact(base)) };
}

/**
 * The same contact after a write that changed only its own row (profile, timestamps): the row is
 * read again and the segments matched again; tags, fields, sequences, topics and notes are kept
 * from `before` instead of being read a second time (inbound messages, many per second).
 */
export async function reloadContactRow(sql: Sql, workspaceId: number, before: ContactDetail, catalogue: Catalogue): Promise<ContactDetail> {
  const row = await findContactRow(sql, workspaceId, Number(before.id));
  if (!row) throw notFound('Contact');
  const base = { ...before, ...contactOfRow(row, before.tags, before.fields) };
  return { ...base, segmentIds: (await segmentMatcher(sql, workspaceId, catalogue))(toFilterContact(base)) };
}
