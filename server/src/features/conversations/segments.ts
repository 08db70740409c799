import type { FilterContact } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import { placeholders } from '../../lib/sql.ts';
import { loadCatalogue, type Catalogue } from '../catalogue/service.ts';
import { CONTACT_COLUMNS, serializeContacts, type ContactRow } from '../contacts/serialize.ts';
import { segmentMatcher } from '../segments/evaluate.ts';

/**
 * The segments each contact belongs to now, for a page of conversations: the contacts are read
 * in three batched queries and matched with the shared evaluator (the same predicates the
 * contact broadcasts use), so an inbox filtered by segment agrees with `segment:membership`.
 */
export async function contactSegmentIds(sql: Sql, workspaceId: number, contactIds: number[], catalogue?: Catalogue): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  const ids = [...new Set(contactIds)];
  if (!ids.length) return out;
  catalogue ??= await loadCatalogue(sql, workspaceId);
  // One page of an inbox: a short IN list.
  const inList = placeholders(ids.length);
  const rows = await sql.all<ContactRow>(`SELECT ${CONTACT_COLUMNS} FROM Contact c WHERE c.id IN (${inList}) AND c.workspaceId = ?`, [...ids, workspaceId]);
  const names = async (text: string) => {
    const byContact = new Map<number, string[]>();
    for (const r of await sql.all<{ contactId: number; name: string }>(text, ids)) {
      (byContact.get(r.contactId) ?? byContact.set(r.contactId, []).get(r.contactId)!).push(r.name);
    }
    return byContact;
  };
  const sequences = await names(
    `SELECT cs.contactId, s.name FROM ContactSequence cs JOIN Sequence s ON s.id = cs.sequenceId WHERE cs.contactId IN (${inList})`,
  );
  const topics = await names(`SELECT ct.contactId, t.name FROM ContactOtnTopic ct JOIN OtnTopic t ON t.id = ct.topicId WHERE ct.contactId IN (${inList})`);
  const match = await segmentMatcher(sql, workspaceId, catalogue);
  const now = Date.now();
  for (const contact of await serializeContacts(sql, catalogue, rows)) {
    const id = Number(contact.id);
    const subject: FilterContact = { ...contact, sequences: sequences.get(id) ?? [], otnTopics: topics.get(id) ?? [] };
    out.set(id, match(subject, now));
  }
  return out;
}
