import type { ContactDetail } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { stmt } from '../../lib/sql.ts';
import { loadCatalogue, type Catalogue } from '../catalogue/service.ts';
import { listNotes } from '../notes/service.ts';
import { segmentMatcher, toFilterContact } from '../segments/evaluate.ts';
import { contactOfRow, findContactRow, serializeContacts, type ContactRow } from './serialize.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** The contact with everything the side panel shows; `row` when the caller has just read it. */
export function loadContactDetail(
  db: Db,
  workspaceId: number,
  contactId: number,
  catalogue: Catalogue = loadCatalogue(db, workspaceId),
  row: ContactRow | undefined = findContactRow(db, workspaceId, contactId),
): ContactDetail {
  if (!row) throw notFound('Contact');
  const [contact] = serializeContacts(db, catalogue, [row]);
  const sequences = stmt(
    db.conn,
    'SELECT s.id, s.name, cs.subscribedAt FROM ContactSequence cs JOIN Sequence s ON s.id = cs.sequenceId WHERE cs.contactId = ? ORDER BY s.name',
  ).all(contactId) as { id: number; name: string; subscribedAt: number }[];
  const topics = stmt(
    db.conn,
    'SELECT t.id, t.name, ct.optedInAt FROM ContactOtnTopic ct JOIN OtnTopic t ON t.id = ct.topicId WHERE ct.contactId = ? ORDER BY t.name',
  ).all(contactId) as { id: number; name: string; optedInAt: number }[];
  const base = {
    ...contact!,
    sequences: sequences.map((s) => ({ id: String(s.id), name: s.name, subscribedAt: iso(s.subscribedAt) })),
    otnTopics: topics.map((t) => ({ id: String(t.id), name: t.name, optedInAt: iso(t.optedInAt) })),
  };
  return { ...base, notes: listNotes(db, contactId), segmentIds: segmentMatcher(db, workspaceId, catalogue)(toFilterContact(base)) };
}

/**
 * The same contact after a write that changed only its own row (profile, timestamps): the row is
 * read again and the segments matched again; tags, fields, sequences, topics and notes are kept
 * from `before` instead of being read a second time (inbound messages, many per second).
 */
export function reloadContactRow(db: Db, workspaceId: number, before: ContactDetail, catalogue: Catalogue): ContactDetail {
  const row = findContactRow(db, workspaceId, Number(before.id));
  if (!row) throw notFound('Contact');
  const base = { ...before, ...contactOfRow(row, before.tags, before.fields) };
  return { ...base, segmentIds: segmentMatcher(db, workspaceId, catalogue)(toFilterContact(base)) };
}
