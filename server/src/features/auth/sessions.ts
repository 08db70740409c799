import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';

export const SESSION_COOKIE = 'sb_session';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

// lastSeenAt is refreshed at most this often, so reads do not turn into writes.
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export interface SessionAgent {
  sessionId: number;
  agent: { id: number; email: string; name: string; avatarUrl: string | null };
}

export async function createSession(
  db: Db,
  agentId: number,
  ttlMs: number,
  meta: { userAgent?: string; ip?: string },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.tx((tx) =>
    tx.session.create({
      data: {
        tokenHash: sha256(token),
        agentId,
        expiresAt: new Date(Date.now() + ttlMs),
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
        ip: meta.ip ?? null,
      },
    }),
  );
  return token;
}

/** The live session for a cookie token, or null when unknown, expired or revoked. */
export async function findSession(db: Db, token: string): Promise<SessionAgent | null> {
  const session = await db.prisma.session.findUnique({
    where: { tokenHash: sha256(token) },
    include: { agent: { select: { id: true, email: true, name: true, avatarUrl: true } } },
  });
  const now = Date.now();
  if (!session || session.revokedAt || session.expiresAt.getTime() <= now) return null;
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.tx((tx) => tx.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } }));
  }
  return { sessionId: session.id, agent: session.agent };
}

export async function revokeSession(db: Db, sessionId: number): Promise<void> {
  await db.tx((tx) =>
    tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } }),
  );
}
