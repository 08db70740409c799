import type { FilterContact } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { stmt } from '../../lib/sql.ts';
import { loadCatalogue, type Catalogue } from '../catalogue/service.ts';
import { CONTACT_COLUMNS, serializeContacts, type ContactRow } from '../contacts/serialize.ts';
import { segmentMatcher } from '../segments/evaluate.ts';

/**
 * The segments each contact belongs to now, for a page of conversations: the contacts are read
 * in three batched queries and matched with the shared evaluator (the same predicates the
 * contact broadcasts use), so an inbox filtered by segment agrees with `segment:membership`.
 */
export function contactSegmentIds(db: Db, workspaceId: number, contactIds: number[], catalogue: Catalogue = loadCatalogue(db, workspaceId)): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const ids = [...new Set(contactIds)];
  if (!ids.length) return out;
  const list = JSON.stringify(ids);
  const rows = stmt(db.conn, `SELECT ${CONTACT_COLUMNS} FROM Contact c WHERE c.id IN (SELECT value FROM json_each(?)) AND c.workspaceId = ?`).all(
    list,
    workspaceId,
  ) as ContactRow[];
  const names = (sql: string) => {
    const byContact = new Map<number, string[]>();
    for (const r of stmt(db.conn, sql).all(list) as { contactId: number; name: string }[]) {
      (byContact.get(r.contactId) ?? byContact.set(r.contactId, []).get(r.contactId)!).push(r.name);
    }
    return byContact;
  };
  const sequences = names(
    'SELECT cs.contactId, s.name FROM ContactSequence cs JOIN Sequence s ON s.id = cs.sequenceId WHERE cs.contactId IN (SELECT value FROM json_each(?))',
  );
  const topics = names(
    'SELECT ct.contactId, t.name FROM ContactOtnTopic ct JOIN OtnTopic t ON t.id = ct.topicId WHERE ct.contactId IN (SELECT value FROM json_each(?))',
  );
  const match = segmentMatcher(db, workspaceId, catalogue);
  const now = Date.now();
  for (const contact of serializeContacts(db, catalogue, rows)) {
    const id = Number(contact.id);
    const subject: FilterContact = { ...contact, sequences: sequences.get(id) ?? [], otnTopics: topics.get(id) ?? [] };
    out.set(id, match(subject, now));
  }
  return out;
}
