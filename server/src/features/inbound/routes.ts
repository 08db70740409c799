import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { InboundAccepted, InboundMessageBody } from '@switchboard/shared';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { unauthorized } from '../../lib/errors.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { hashApiKey } from '../api-keys/service.ts';
import { receiveInbound } from './service.ts';

interface CallerKey {
  id: number;
  workspaceId: number;
  keyHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key that authenticated an inbound request. */
    apiKey: CallerKey | null;
  }
}

// lastUsedAt is informational ("used 3 minutes ago"): refreshing it once a minute keeps a busy
// integration from adding a write to every message.
const TOUCH_EVERY_MS = 60_000;

async function authenticate(db: Db, request: FastifyRequest): Promise<void> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!m) throw unauthorized('Send the API key as "Authorization: Bearer <key>"');
  const keyHash = hashApiKey(m[1]!);
  const key = await db.sql.get<{ id: number; workspaceId: number; lastUsedAt: number | null; revokedAt: number | null }>(
    'SELECT id, workspaceId, lastUsedAt, revokedAt FROM ApiKey WHERE keyHash = ?',
    [keyHash],
  );
  // Unknown and revoked keys get the same answer: the caller learns nothing about which keys exist.
  if (!key || key.revokedAt !== null) throw unauthorized('Unknown or revoked API key');
  const now = Date.now();
  if (key.lastUsedAt === null || now - key.lastUsedAt >= TOUCH_EVERY_MS) {
    await db.tx((_tx, sql) =>
      sql.run('UPDATE ApiKey SET lastUsedAt = ? WHERE id = ? AND (lastUsedAt IS NULL OR lastUsedAt <= ?)', [new Date(now), key.id, new Date(now - TOUCH_EVERY_MS)]),
    );
  }
  request.apiKey = { id: key.id, workspaceId: key.workspaceId, keyHash };
}

/** Channel integrations post each message here, authenticated by a workspace API key. */
export async function inboundRoutes(app: FastifyInstance, { db, gateway, config }: { db: Db; gateway: Gateway; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.decorateRequest('apiKey', null);

  r.post('/api/inbound/messages', {
    schema: { tags: ['inbound'], body: InboundMessageBody, response: { 202: InboundAccepted } },
    config: {
      // No agent session: the API key is the credential.
      public: true,
      // Per key, so one noisy integration cannot starve another workspace's.
      rateLimit: {
        max: config.inboundRateLimit,
        timeWindow: '1 minute',
        keyGenerator: (request) => request.apiKey?.keyHash ?? `ip:${request.ip}`,
      },
    },
    // Before the body is parsed: a caller without a valid key learns nothing from validation errors.
    onRequest: (request) => authenticate(db, request),
    handler: async (request, reply) => {
      const key = request.apiKey!;
      const { contactId, conversationId, messageId } = await receiveInbound({ db, gateway }, key.workspaceId, { kind: 'api', id: key.id }, request.body);
      reply.status(202);
      return { contactId, conversationId, messageId };
    },
  });
}
