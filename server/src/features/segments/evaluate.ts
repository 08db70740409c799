import { compilePredicate, validateFilter, type ContactDetail, type ContactPredicate, type FilterContact } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { stmt } from '../../lib/sql.ts';
import type { Catalogue } from '../catalogue/service.ts';

export function toFilterContact(c: Omit<ContactDetail, 'segmentIds' | 'notes'>): FilterContact {
  return {
    ...c,
    sequences: c.sequences.map((s) => s.name),
    otnTopics: c.otnTopics.map((t) => t.name),
  };
}

/**
 * The workspace's segments as in-memory predicates (the shared evaluator, proven equal to the
 * SQL compiler by the property test). A segment that no longer fits the fields matches nobody.
 */
export function segmentMatcher(db: Db, workspaceId: number, catalogue: Catalogue): (contact: FilterContact, now?: number) => string[] {
  const rows = stmt(db.conn, 'SELECT id, filter FROM Segment WHERE workspaceId = ? ORDER BY id').all(workspaceId) as { id: number; filter: string }[];
  const predicates: [string, ContactPredicate][] = [];
  for (const r of rows) {
    const checked = validateFilter(JSON.parse(r.filter), catalogue.filter);
    if (checked.ok) predicates.push([String(r.id), compilePredicate(checked.filter, catalogue.filter)]);
  }
  return (contact, now = Date.now()) => predicates.filter(([, p]) => p(contact, now)).map(([id]) => id);
}
