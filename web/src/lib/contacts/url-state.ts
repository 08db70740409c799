import { contactSorts, Filter, type ContactListQuery, type ContactSort } from '@switchboard/shared';

/** What the contacts list shows. Everything in it lives in the URL, so a link reopens the same view. */
export interface ContactsQuery {
  q: string;
  filter: Filter | null;
  segmentId: string | null;
  sort: ContactSort;
}

export interface ContactsUrlState extends ContactsQuery {
  /** The contact open in the drawer. */
  contactId: string | null;
}

export const defaultSort: ContactSort = 'lastInteractionAt:desc';

export const emptyUrlState: ContactsUrlState = { q: '', filter: null, segmentId: null, sort: defaultSort, contactId: null };

const idPattern = /^[1-9][0-9]{0,15}$/;

/** Reads the view from the query string; a broken part is dropped and named in `problems`. */
export function readUrlState(params: URLSearchParams): { state: ContactsUrlState; problems: string[] } {
  const problems: string[] = [];
  const state: ContactsUrlState = { ...emptyUrlState };

  state.q = (params.get('q') ?? '').slice(0, 200);

  const sort = params.get('sort');
  if (sort !== null) {
    if ((contactSorts as readonly string[]).includes(sort)) state.sort = sort as ContactSort;
    else problems.push(`Unknown sort "${sort}"; showing the default order.`);
  }

  const filter = params.get('filter');
  if (filter) {
    const parsed = Filter.safeParse(parseJson(filter));
    if (parsed.success) state.filter = parsed.data;
    else problems.push('The filter in this link could not be read; showing all contacts.');
  }

  for (const [param, key] of [
    ['segment', 'segmentId'],
    ['contact', 'contactId'],
  ] as const) {
    const value = params.get(param);
    if (value === null || value === '') continue;
    if (idPattern.test(value)) state[key] = value;
    else problems.push(`"${value}" is not a valid ${param} id.`);
  }
  return { state, problems };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The query string of a view, defaults left out, in a fixed order so equal views give equal links. */
export function writeUrlState(state: ContactsUrlState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.segmentId) params.set('segment', state.segmentId);
  if (state.filter) params.set('filter', JSON.stringify(state.filter));
  if (state.q.trim()) params.set('q', state.q);
  if (state.sort !== defaultSort) params.set('sort', state.sort);
  if (state.contactId) params.set('contact', state.contactId);
  return params;
}

/** Equal keys mean the same rows: opening a contact changes the URL but not the list. */
export function queryKey(query: ContactsQuery): string {
  return JSON.stringify([query.q.trim(), query.filter, query.segmentId, query.sort]);
}

/** The GET /contacts parameters of a view. */
export function listQuery(query: ContactsQuery, cursor?: string, limit = 100): ContactListQuery {
  return {
    q: query.q.trim() || undefined,
    filter: query.filter ? JSON.stringify(query.filter) : undefined,
    segmentId: query.segmentId ?? undefined,
    sort: query.sort,
    cursor,
    limit,
  };
}
