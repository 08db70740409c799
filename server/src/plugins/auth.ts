import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import { roleAtLeast, type Role } from '@switchboard/shared';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { forbidden, notFound, unauthorized } from '../lib/errors.ts';
import { findSession, SESSION_COOKIE, type SessionAgent } from '../features/auth/sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: SessionAgent | null;
    membership: { workspaceId: number; role: Role } | null;
  }
  interface FastifyContextConfig {
    /** Route needs no agent session (login, health, inbound API, widget). */
    public?: boolean;
  }
  interface FastifyInstance {
    /**
     * preValidation hook: the caller must be a member of :workspaceId with at least `min`.
     * It runs before body validation so a stranger learns nothing from validation errors.
     */
    requireRole(min: Role): (request: FastifyRequest) => Promise<void>;
    setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string, maxAgeMs: number): void;
  }
}

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; config: Config }) => {
    const { db, config } = opts;
    await app.register(fastifyCookie, { secret: config.sessionSecret });
    app.decorateRequest('auth', null);
    app.decorateRequest('membership', null);

    // Every /api route requires a session unless it opts out with `config: { public: true }`,
    // so a new route is protected by default.
    app.addHook('onRequest', async (request) => {
      const raw = request.cookies[SESSION_COOKIE];
      if (raw) {
        const unsigned = request.unsignCookie(raw);
        if (unsigned.valid && unsigned.value) request.auth = await findSession(db, unsigned.value);
      }
      const isApi = request.url.startsWith('/api/');
      if (isApi && !request.routeOptions.config?.public && !request.auth) throw unauthorized();
    });

    app.decorate('requireRole', (min: Role) => {
      return async (request: FastifyRequest) => {
        const auth = request.auth;
        if (!auth) throw unauthorized();
        const raw = (request.params as { workspaceId?: string }).workspaceId;
        const workspaceId = Number(raw);
        // Raw SQL, not Prisma: every workspace request runs it (see findSession).
        const membership = Number.isSafeInteger(workspaceId)
          ? await db.sql.get<{ role: string }>('SELECT role FROM Membership WHERE workspaceId = ? AND agentId = ?', [workspaceId, auth.agent.id])
          : undefined;
        // Another workspace's id is indistinguishable from one that does not exist.
        if (!membership) throw notFound('Workspace');
        const role = membership.role as Role;
        if (!roleAtLeast(role, min)) throw forbidden(`This needs the ${min} role or higher; you are ${role}`);
        request.membership = { workspaceId, role };
      };
    });

    app.decorate('setSessionCookie', (reply: FastifyReply, request: FastifyRequest, token: string, maxAgeMs: number) => {
      const secure = config.cookieSecure === 'always' || (config.cookieSecure === 'auto' && request.protocol === 'https');
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        signed: true,
        maxAge: Math.floor(maxAgeMs / 1000),
      });
    });
  },
  { name: 'auth' },
);
