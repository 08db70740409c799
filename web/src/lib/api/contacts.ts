import {
  CatalogueItem,
  Contact,
  ContactList,
  CustomField,
  Layout,
  Segment,
  Tag,
  type ContactListQuery,
  type CreateContactBody,
  type Filter,
  type LayoutSurface,
} from '@switchboard/shared';
import { request, type RequestOptions, type Schema } from './client';

type Pass = Pick<RequestOptions, 'signal' | 'fetch'>;

/** A list of `item`, checked element by element (web keeps zod a dependency of shared only). */
export function listOf<T>(item: Schema<T>): Schema<T[]> {
  return {
    safeParse(data: unknown) {
      if (!Array.isArray(data)) return { success: false, error: { issues: [{ path: [], message: 'expected a list' }] } };
      const out: T[] = [];
      for (const [index, element] of data.entries()) {
        const parsed = item.safeParse(element);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({ ...i, path: [index, ...i.path] }));
          return { success: false, error: { issues } };
        }
        out.push(parsed.data);
      }
      return { success: true, data: out };
    },
  };
}

const ws = (workspaceId: string) => `/api/workspaces/${encodeURIComponent(workspaceId)}`;

/** Query string of GET /contacts; unset and empty parameters are left out. */
export function contactListSearch(query: ContactListQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface SegmentInput {
  name: string;
  description?: string | null;
  filter: Filter;
}

export const contactsApi = {
  list: (workspaceId: string, query: ContactListQuery, options: Pass = {}) =>
    request(`${ws(workspaceId)}/contacts${contactListSearch(query)}`, { ...options, schema: ContactList }),

  /** SMS/voice only. 400 → `details: [{ path, message }]`; 409 → the phone is taken in that channel. */
  create: (workspaceId: string, body: CreateContactBody) =>
    request(`${ws(workspaceId)}/contacts`, { method: 'POST', body, schema: Contact }),

  fields: (workspaceId: string, options: Pass = {}) =>
    request(`${ws(workspaceId)}/fields`, { ...options, schema: listOf(CustomField) }),
  tags: (workspaceId: string, options: Pass = {}) => request(`${ws(workspaceId)}/tags`, { ...options, schema: listOf(Tag) }),
  sequences: (workspaceId: string, options: Pass = {}) =>
    request(`${ws(workspaceId)}/sequences`, { ...options, schema: listOf(CatalogueItem) }),
  otnTopics: (workspaceId: string, options: Pass = {}) =>
    request(`${ws(workspaceId)}/otn-topics`, { ...options, schema: listOf(CatalogueItem) }),

  /** The caller's effective layout: own override, else the workspace default, else the server default. */
  layout: (workspaceId: string, surface: LayoutSurface, options: Pass = {}) =>
    request(`${ws(workspaceId)}/layout/${surface}`, { ...options, schema: Layout }),
};

export const segmentsApi = {
  list: (workspaceId: string, options: Pass = {}) =>
    request(`${ws(workspaceId)}/segments`, { ...options, schema: listOf(Segment) }),
  create: (workspaceId: string, body: SegmentInput) =>
    request(`${ws(workspaceId)}/segments`, { method: 'POST', body, schema: Segment }),
  update: (workspaceId: string, segmentId: string, body: Partial<SegmentInput>) =>
    request(`${ws(workspaceId)}/segments/${encodeURIComponent(segmentId)}`, { method: 'PATCH', body, schema: Segment }),
  remove: (workspaceId: string, segmentId: string) =>
    request(`${ws(workspaceId)}/segments/${encodeURIComponent(segmentId)}`, { method: 'DELETE' }),
};
