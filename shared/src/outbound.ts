import { z } from 'zod';
import { Channel } from './enums.ts';
import { Id, IsoDateTime } from './common.ts';
import { AgentRef } from './conversations.ts';

/** Where agent replies on external channels are POSTed, signed with the workspace's secret. */
export const WebhookSettings = z
  .object({
    url: z.string().nullable(),
    hasSecret: z.boolean(),
    /** Only in the answer that generated it: the secret is shown once. */
    secret: z.string().optional(),
  })
  .meta({ id: 'WebhookSettings' });
export type WebhookSettings = z.infer<typeof WebhookSettings>;

export const WebhookUrl = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }));

export const PutWebhookSettingsBody = z.object({
  /** null turns delivery off (replies on external channels then fail with "no outbound webhook configured"). */
  url: WebhookUrl.nullable(),
  /** A new secret even when one exists (the old one stops verifying at once). */
  rotateSecret: z.boolean().optional(),
});
export type PutWebhookSettingsBody = z.input<typeof PutWebhookSettingsBody>;

/**
 * The body of every delivery. Headers: `X-Switchboard-Signature: sha256=<hex HMAC-SHA256 of the
 * raw body with the workspace's secret>` and `X-Switchboard-Delivery: <delivery id>` (the same id
 * on every retry of one delivery, so a receiver can drop duplicates).
 */
export const OutboundWebhookPayload = z
  .object({
    event: z.literal('message.created'),
    workspaceId: Id,
    conversationId: Id,
    contact: z.object({ id: Id, channel: Channel, channelUserId: z.string() }),
    message: z.object({ id: Id, body: z.string(), createdAt: IsoDateTime, agent: AgentRef.nullable() }),
  })
  .meta({ id: 'OutboundWebhookPayload' });
export type OutboundWebhookPayload = z.infer<typeof OutboundWebhookPayload>;
