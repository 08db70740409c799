import { WebhookSettings, type PutWebhookSettingsBody } from '@switchboard/shared';
import { request } from './client';

const url = (workspaceId: string) => `/api/workspaces/${encodeURIComponent(workspaceId)}/settings/webhook`;

export const webhookApi = {
  get: (workspaceId: string) => request(url(workspaceId), { schema: WebhookSettings }),
  put: (workspaceId: string, body: PutWebhookSettingsBody) => request(url(workspaceId), { method: 'PUT', body, schema: WebhookSettings }),
};
