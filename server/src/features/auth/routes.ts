import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ChangePasswordBody, LoginBody, Me, Ok, SessionsEnded } from '@switchboard/shared';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { AppError, unauthorized, validation } from '../../lib/errors.ts';
import { changePassword, checkCredentials, getMe } from './service.ts';
import { createSession, revokeAgentSessions, revokeSession, SESSION_COOKIE } from './sessions.ts';

export async function authRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/auth/login', {
    schema: { tags: ['auth'], body: LoginBody, response: { 200: Me } },
    config: {
      public: true,
      // Per address and email: slows password guessing without letting one noisy office
      // lock everyone else out.
      rateLimit: {
        max: config.loginRateLimit,
        timeWindow: '1 minute',
        keyGenerator: (req) => `${req.ip}|${String((req.body as { email?: unknown })?.email ?? '').toLowerCase()}`,
      },
    },
    handler: async (request, reply) => {
      const agentId = await checkCredentials(db, request.body.email, request.body.password);
      if (agentId === null) throw unauthorized('Wrong email or password');
      // A fresh token on every login (no session fixation); the old cookie's session ends.
      if (request.auth) {
        await revokeSession(db, request.auth.sessionId);
        app.gateway.endSession(request.auth.sessionId, 'revoked');
      }
      const token = await createSession(db, agentId, config.sessionTtlMs, {
        userAgent: request.headers['user-agent'],
        ip: request.ip,
      });
      app.setSessionCookie(reply, request, token, config.sessionTtlMs);
      return getMe(db, agentId);
    },
  });

  r.post('/api/auth/logout', {
    schema: { tags: ['auth'], response: { 200: Ok } },
    config: { public: true },
    handler: async (request, reply) => {
      if (request.auth) {
        await revokeSession(db, request.auth.sessionId);
        app.gateway.endSession(request.auth.sessionId, 'logout');
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });

  r.get('/api/auth/me', {
    schema: { tags: ['auth'], response: { 200: Me } },
    handler: async (request) => {
      if (!request.auth) throw new AppError('unauthorized', 'Sign in first');
      return getMe(db, request.auth.agent.id);
    },
  });

  // Sign out everywhere: every session of the agent ends, this one included, and their sockets are told.
  r.post('/api/auth/logout-all', {
    schema: { tags: ['auth'], response: { 200: SessionsEnded } },
    handler: async (request, reply) => {
      if (!request.auth) throw new AppError('unauthorized', 'Sign in first');
      const ended = await revokeAgentSessions(db, request.auth.agent.id, null);
      for (const id of ended) app.gateway.endSession(id, 'logout');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ended: ended.length };
    },
  });

  r.post('/api/auth/password', {
    schema: { tags: ['auth'], body: ChangePasswordBody, response: { 200: SessionsEnded } },
    config: {
      // As login: the current password is a password guess.
      rateLimit: { max: config.loginRateLimit, timeWindow: '1 minute', keyGenerator: (req) => `password|${req.ip}|${req.auth?.agent.id ?? ''}` },
    },
    handler: async (request) => {
      if (!request.auth) throw new AppError('unauthorized', 'Sign in first');
      const { currentPassword, newPassword } = request.body;
      if (!(await changePassword(db, request.auth.agent.id, currentPassword, newPassword))) {
        throw validation([{ path: 'currentPassword', message: 'is not your current password' }]);
      }
      // Whoever else knew the old password is out; this session stays.
      const ended = await revokeAgentSessions(db, request.auth.agent.id, request.auth.sessionId);
      for (const id of ended) app.gateway.endSession(id, 'revoked');
      return { ended: ended.length };
    },
  });
}
