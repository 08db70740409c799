import { Conversation, ConversationList, Member, MessagePage, type InboxQuery } from '@switchboard/shared';
import { request, type RequestOptions } from './client';
import { listOf } from './contacts';

type Pass = Pick<RequestOptions, 'signal' | 'fetch'>;

const ws = (workspaceId: string) => `/api/workspaces/${encodeURIComponent(workspaceId)}`;
const one = (workspaceId: string, conversationId: string) => `${ws(workspaceId)}/conversations/${encodeURIComponent(conversationId)}`;

/** A query string of the set parameters (the contract's input types are loose: `limit` is coerced). */
function search(params: Record<string, unknown>): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' ? value !== '' : typeof value === 'number') out.set(key, String(value));
  }
  const text = out.toString();
  return text ? `?${text}` : '';
}

export const conversationsApi = {
  /** Newest activity first; `nextCursor` continues the same query. */
  list: (workspaceId: string, query: InboxQuery, options: Pass = {}) =>
    request(`${ws(workspaceId)}/conversations${search({ ...query })}`, { ...options, schema: ConversationList }),

  get: (workspaceId: string, conversationId: string, options: Pass = {}) =>
    request(one(workspaceId, conversationId), { ...options, schema: Conversation }),

  /** Oldest first, ending just before `before` (or at the newest). */
  messages: (workspaceId: string, conversationId: string, query: { before?: string; limit?: number } = {}, options: Pass = {}) =>
    request(`${one(workspaceId, conversationId)}/messages${search(query)}`, { ...options, schema: MessagePage }),

  /** Everyone in the workspace, for assignment. */
  members: (workspaceId: string, options: Pass = {}) => request(`${ws(workspaceId)}/members`, { ...options, schema: listOf(Member) }),
};
