import type { Conversation, InboxQuery } from '@switchboard/shared';

/** What the inbox shows. It lives in the URL (`?segment=&status=&assignee=`), so links and reloads keep it. */
export interface InboxFilter {
  segmentId: string | null;
  status: StatusFilter;
  assignee: AssigneeFilter;
}

export const statusFilters = ['open', 'pending', 'resolved', 'all'] as const;
export type StatusFilter = (typeof statusFilters)[number];
export const assigneeFilters = ['me', 'unassigned', 'all'] as const;
export type AssigneeFilter = (typeof assigneeFilters)[number];

export const defaultFilter: InboxFilter = { segmentId: null, status: 'open', assignee: 'all' };

const idPattern = /^[1-9][0-9]{0,15}$/;

/** Reads the filter from the query string; unknown values fall back to the defaults. */
export function readFilter(params: URLSearchParams): InboxFilter {
  const segment = params.get('segment');
  const status = params.get('status');
  const assignee = params.get('assignee');
  return {
    segmentId: segment && idPattern.test(segment) ? segment : null,
    status: (statusFilters as readonly (string | null)[]).includes(status) ? (status as StatusFilter) : defaultFilter.status,
    assignee: (assigneeFilters as readonly (string | null)[]).includes(assignee) ? (assignee as AssigneeFilter) : defaultFilter.assignee,
  };
}

/** The query string of a filter, defaults left out, in a fixed order so equal filters give equal links. */
export function writeFilter(filter: InboxFilter): string {
  const params = new URLSearchParams();
  if (filter.segmentId) params.set('segment', filter.segmentId);
  if (filter.status !== defaultFilter.status) params.set('status', filter.status);
  if (filter.assignee !== defaultFilter.assignee) params.set('assignee', filter.assignee);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function filterKey(filter: InboxFilter): string {
  return `${filter.segmentId ?? ''}|${filter.status}|${filter.assignee}`;
}

export function listQuery(filter: InboxFilter, cursor: string | undefined, limit: number): InboxQuery {
  return { segmentId: filter.segmentId ?? undefined, status: filter.status, assignee: filter.assignee, cursor, limit };
}

/** Whether a conversation belongs in the inbox filtered so, for the agent `me` (the same test the server's list makes). */
export function matches(c: Conversation, filter: InboxFilter, me: string): boolean {
  if (filter.status !== 'all' && c.status !== filter.status) return false;
  if (filter.assignee === 'me' && c.assignee?.id !== me) return false;
  if (filter.assignee === 'unassigned' && c.assignee !== null) return false;
  if (filter.segmentId !== null && !c.segmentIds.includes(filter.segmentId)) return false;
  return true;
}

/** Ids are decimal strings that may pass 2^53: compare by length, then text. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The inbox order, as the server's keyset: newest activity first, then the higher id. */
export function byActivity(a: Conversation, b: Conversation): number {
  return Date.parse(b.lastMessageAt) - Date.parse(a.lastMessageAt) || compareIds(b.id, a.id);
}

/**
 * Puts a changed conversation where it belongs in the loaded rows: updated and moved when it still
 * matches, dropped when it no longer does, inserted when it newly does. While more pages exist (`complete`
 * false) a conversation that sorts after the last loaded row stays out: its page brings it.
 */
export function place(items: readonly Conversation[], c: Conversation, filter: InboxFilter, me: string, complete: boolean): Conversation[] {
  const rest = items.filter((i) => i.id !== c.id);
  if (!matches(c, filter, me)) return rest.length === items.length ? (items as Conversation[]) : rest;
  let at = rest.findIndex((i) => byActivity(c, i) < 0);
  if (at < 0) {
    if (!complete) return rest.length === items.length ? (items as Conversation[]) : rest;
    at = rest.length;
  }
  return [...rest.slice(0, at), c, ...rest.slice(at)];
}

/** Adds the rows of a page that are not shown yet (after a contact entered the segment), each in its place. */
export function addMissing(items: readonly Conversation[], page: readonly Conversation[], filter: InboxFilter, me: string, complete: boolean): Conversation[] {
  const have = new Set(items.map((i) => i.id));
  let out = items as Conversation[];
  for (const c of page) if (!have.has(c.id)) out = place(out, c, filter, me, complete);
  return out;
}

/** A segment entered or left by a contact: its conversations' `segmentIds` as they are now. */
export function withMembership(c: Conversation, segmentId: string, member: boolean): Conversation {
  const has = c.segmentIds.includes(segmentId);
  if (has === member) return c;
  return { ...c, segmentIds: member ? [...c.segmentIds, segmentId] : c.segmentIds.filter((s) => s !== segmentId) };
}

/**
 * Rows of contacts changed in bulk, as a fresh first page shows them: name, avatar and segments from
 * it; dropped when the page leaves them out although it covers their place (they left the filtered segment).
 * A row sorting after the page's last one is beyond what it can tell and stays as it is.
 */
export function refreshContacts(items: readonly Conversation[], page: readonly Conversation[], pageComplete: boolean, contactIds: ReadonlySet<string>): Conversation[] {
  const fresh = new Map(page.map((c) => [c.id, c]));
  const last = page.at(-1);
  const out: Conversation[] = [];
  for (const c of items) {
    if (!contactIds.has(c.contact.id)) {
      out.push(c);
      continue;
    }
    const f = fresh.get(c.id);
    if (f) out.push({ ...c, contact: { ...c.contact, name: f.contact.name, avatarUrl: f.contact.avatarUrl }, segmentIds: f.segmentIds });
    else if (!pageComplete && last && byActivity(c, last) > 0) out.push(c);
  }
  return out;
}
