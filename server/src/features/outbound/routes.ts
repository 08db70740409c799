import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { PutWebhookSettingsBody, WebhookSettings, WorkspaceParams } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { agentActor } from '../contacts/routes.ts';
import { getWebhookSettings, putWebhookSettings } from './settings.ts';

export async function webhookSettingsRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const url = '/api/workspaces/:workspaceId/settings/webhook';

  r.get(url, {
    schema: { tags: ['settings'], params: WorkspaceParams, response: { 200: WebhookSettings } },
    preValidation: app.requireRole('admin'),
    handler: (request) => getWebhookSettings(db, request.membership!.workspaceId),
  });

  r.put(url, {
    schema: { tags: ['settings'], params: WorkspaceParams, body: PutWebhookSettingsBody, response: { 200: WebhookSettings } },
    preValidation: app.requireRole('admin'),
    handler: (request) => putWebhookSettings(db, request.membership!.workspaceId, agentActor(request), request.body),
  });
}
