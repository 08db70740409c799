import type { PutWebhookSettingsBody, WebhookSettings } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { newWebhookSecret } from './sign.ts';

export async function getWebhookSettings(db: Db, workspaceId: number): Promise<WebhookSettings> {
  const w = await db.prisma.workspace.findUnique({ where: { id: workspaceId }, select: { outboundWebhookUrl: true, webhookSecret: true } });
  if (!w) throw notFound('Workspace');
  return { url: w.outboundWebhookUrl, hasSecret: Boolean(w.webhookSecret) };
}

/**
 * Stores the URL; a secret is generated when there is none (or on request) and returned in this
 * answer only. The audit entry records the change, never the secret.
 */
export async function putWebhookSettings(db: Db, workspaceId: number, actor: Actor, body: PutWebhookSettingsBody): Promise<WebhookSettings> {
  return db.tx(async (tx) => {
    const w = await tx.workspace.findUnique({ where: { id: workspaceId }, select: { outboundWebhookUrl: true, webhookSecret: true } });
    if (!w) throw notFound('Workspace');
    const secret = !w.webhookSecret || body.rotateSecret ? newWebhookSecret() : undefined;
    await tx.workspace.update({
      where: { id: workspaceId },
      data: { outboundWebhookUrl: body.url, ...(secret ? { webhookSecret: secret } : {}) },
    });
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: 'webhook.updated',
      changes: { url: { from: w.outboundWebhookUrl, to: body.url }, secretGenerated: Boolean(secret) },
    });
    return { url: body.url, hasSecret: true, ...(secret ? { secret } : {}) };
  });
}
