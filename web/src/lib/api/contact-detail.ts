import {
  ContactDetail,
  CustomField,
  HistoryEntry,
  Layout,
  Note,
  Tag,
  type ContactOp,
  type LayoutSurface,
} from '@switchboard/shared';
import { request } from './client';

// Typed calls behind the contact detail drawer (and later the live-chat side panel) and the layout editor.

const ws = (workspaceId: string) => `/api/workspaces/${encodeURIComponent(workspaceId)}`;
const contactPath = (workspaceId: string, contactId: string) =>
  `${ws(workspaceId)}/contacts/${encodeURIComponent(contactId)}`;

export const contactDetailApi = {
  get: (workspaceId: string, contactId: string, signal?: AbortSignal) =>
    request(contactPath(workspaceId, contactId), { schema: ContactDetail, signal }),

  /** Applied atomically, answering the contact as it is now; a stale `expected` answers 409 `conflict` and nothing is applied. */
  patch: (workspaceId: string, contactId: string, ops: ContactOp[]) =>
    request(contactPath(workspaceId, contactId), { method: 'PATCH', body: { ops }, schema: ContactDetail }),

  remove: (workspaceId: string, contactId: string) =>
    request(contactPath(workspaceId, contactId), { method: 'DELETE' }),

  /** A plain `<a download>` to this works: the session is a cookie. */
  exportHref: (workspaceId: string, contactId: string) => `${contactPath(workspaceId, contactId)}/export`,

  history: (workspaceId: string, contactId: string, signal?: AbortSignal) =>
    request(`${contactPath(workspaceId, contactId)}/history`, { schema: HistoryEntry.array(), signal }),

  addNote: (workspaceId: string, contactId: string, body: string) =>
    request(`${contactPath(workspaceId, contactId)}/notes`, { method: 'POST', body: { body }, schema: Note }),

  editNote: (workspaceId: string, contactId: string, noteId: string, body: string) =>
    request(`${contactPath(workspaceId, contactId)}/notes/${encodeURIComponent(noteId)}`, {
      method: 'PATCH',
      body: { body },
      schema: Note,
    }),

  deleteNote: (workspaceId: string, contactId: string, noteId: string) =>
    request(`${contactPath(workspaceId, contactId)}/notes/${encodeURIComponent(noteId)}`, { method: 'DELETE' }),
};

export const catalogueApi = {
  fields: (workspaceId: string, signal?: AbortSignal) =>
    request(`${ws(workspaceId)}/fields`, { schema: CustomField.array(), signal }),

  tags: (workspaceId: string, signal?: AbortSignal) => request(`${ws(workspaceId)}/tags`, { schema: Tag.array(), signal }),
};

export type LayoutScope = 'agent' | 'workspace';

const layoutPath = (workspaceId: string, surface: LayoutSurface) =>
  `${ws(workspaceId)}/layout/${encodeURIComponent(surface)}`;

export const layoutApi = {
  /** The layout in effect for the caller: its own override, else the workspace default, else the built-in one. */
  get: (workspaceId: string, surface: LayoutSurface, signal?: AbortSignal) =>
    request(layoutPath(workspaceId, surface), { schema: Layout, signal }),

  /** `workspace` (lead+) writes the workspace default; otherwise the caller's own override. The answer is not needed. */
  put: (workspaceId: string, surface: LayoutSurface, fields: Layout['fields'], scope: LayoutScope = 'agent') =>
    request(scope === 'workspace' ? `${layoutPath(workspaceId, surface)}?scope=workspace` : layoutPath(workspaceId, surface), {
      method: 'PUT',
      body: { fields },
    }),

  /** Drops the caller's own override and answers the layout now in effect (the workspace default). */
  reset: (workspaceId: string, surface: LayoutSurface) =>
    request(layoutPath(workspaceId, surface), { method: 'DELETE', schema: Layout }),
};
