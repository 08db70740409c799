import { compilePredicate, validateFilter, type ContactDetail, type ContactPredicate, type FilterContact } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import type { Catalogue } from '../catalogue/service.ts';

export function toFilterContact(c: Omit<ContactDetail, 'segmentIds' | 'notes'>): FilterContact {
  return {
    ...c,
    sequences: c.sequences.map((s) => s.name),
    otnTopics: c.otnTopics.map((t) => t.name),
  };
}

interface Compiled {
  /** What the predicates were compiled from: the catalogue and every segment's id and stored filter. */
  source: string;
  predicates: [string, ContactPredicate][];
}

/**
 * The last compiled segments per workspace. Keyed by what they were compiled from, re-read on
 * every call (one indexed query), so a segment or field changed by another request, another node
 * or plain SQL is never matched with a stale predicate; no invalidation to forget.
 */
const compiled = new Map<number, Compiled>();
const catalogueKeys = new WeakMap<Catalogue, string>();

function catalogueKey(catalogue: Catalogue): string {
  let key = catalogueKeys.get(catalogue);
  if (key === undefined) catalogueKeys.set(catalogue, (key = JSON.stringify(catalogue.filter)));
  return key;
}

/**
 * The workspace's segments as in-memory predicates (the shared evaluator, proven equal to the
 * SQL compiler by the property test). A segment that no longer fits the fields matches nobody.
 * Validating and compiling the filters is most of the cost, and every inbound message and
 * contact change asks, so the compiled predicates are kept while their source stays the same.
 */
export async function segmentMatcher(sql: Sql, workspaceId: number, catalogue: Catalogue): Promise<(contact: FilterContact, now?: number) => string[]> {
  const rows = await sql.all<{ id: number; filter: string }>('SELECT id, filter FROM Segment WHERE workspaceId = ? ORDER BY id', [workspaceId]);
  let source = catalogueKey(catalogue);
  for (const r of rows) source += `\n${r.id}\t${r.filter}`;
  let hit = compiled.get(workspaceId);
  if (hit?.source !== source) {
    const predicates: [string, ContactPredicate][] = [];
    for (const r of rows) {
      const checked = validateFilter(JSON.parse(r.filter), catalogue.filter);
      if (checked.ok) predicates.push([String(r.id), compilePredicate(checked.filter, catalogue.filter)]);
    }
    compiled.set(workspaceId, (hit = { source, predicates }));
  }
  const { predicates } = hit;
  return (contact, now = Date.now()) => predicates.filter(([, p]) => p(contact, now)).map(([id]) => id);
}
