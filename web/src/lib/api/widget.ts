import { Message, WidgetConversation, WidgetSession, type WidgetSendBody, type WidgetSessionBody } from '@switchboard/shared';
import { request, type RequestOptions } from './client';

type Pass = Pick<RequestOptions, 'signal' | 'fetch'>;

const base = (workspaceId: string) => `/api/widget/${encodeURIComponent(workspaceId)}`;

/**
 * The public web chat widget. A 401 here means "no visitor yet", never "sign in": visitors are
 * not agents, so none of these calls may send anyone to the console's login page.
 */
export const widgetApi = {
  conversation: (workspaceId: string, options: Pass = {}) =>
    request(`${base(workspaceId)}/conversation`, { ...options, schema: WidgetConversation, redirectOn401: false }),
  session: (workspaceId: string, body: WidgetSessionBody = {}) =>
    request(`${base(workspaceId)}/session`, { method: 'POST', body, schema: WidgetSession, redirectOn401: false }),
  send: (workspaceId: string, body: WidgetSendBody) =>
    request(`${base(workspaceId)}/messages`, { method: 'POST', body, schema: Message, redirectOn401: false }),
};
