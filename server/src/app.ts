import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { authPlugin } from './plugins/auth.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { securityPlugin } from './plugins/security.ts';
import { spaPlugin } from './plugins/spa.ts';
import { zodPlugin } from './plugins/zod.ts';
import { apiKeyRoutes } from './features/api-keys/routes.ts';
import { authRoutes } from './features/auth/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { memberRoutes } from './features/members/routes.ts';
import { workspaceRoutes } from './features/workspaces/routes.ts';
import { contactRoutes } from './features/contacts/routes.ts';
import { fieldRoutes } from './features/fields/routes.ts';
import { layoutRoutes } from './features/layout/routes.ts';
import { noteRoutes } from './features/notes/routes.ts';
import { segmentRoutes } from './features/segments/routes.ts';
import { tagRoutes } from './features/tags/routes.ts';

export const defaultWebRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/build');

export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its method; the authorization tests are generated from it. */
    routeTable: RouteInfo[];
  }
}

export interface AppOptions {
  config: Config;
  db: Db;
  /** The built console (web/build); tests without a build simply get no SPA. */
  webRoot?: string;
  logger?: boolean;
}

/** Builds the whole HTTP app without listening: server.ts listens, tests use `inject`. */
export async function buildApp({ config, db, webRoot = defaultWebRoot, logger = true }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ? { level: config.logLevel } : false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Honour a proxy's request id so one id follows a request across hops.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    },
  });
  const routeTable: RouteInfo[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      // HEAD routes mirror their GET.
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: route.url, public: Boolean(route.config?.public) });
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorsPlugin);
  await app.register(zodPlugin);
  await app.register(securityPlugin, { indexHtml: resolve(webRoot, 'index.html') });
  await app.register(openapiPlugin);
  await app.register(authPlugin, { db, config });

  await app.register(healthRoutes, { db });
  await app.register(authRoutes, { db, config });
  await app.register(workspaceRoutes, { db });
  await app.register(memberRoutes, { db });
  await app.register(apiKeyRoutes, { db });
  await app.register(contactRoutes, { db });
  await app.register(noteRoutes, { db });
  await app.register(segmentRoutes, { db });
  await app.register(fieldRoutes, { db });
  await app.register(tagRoutes, { db });
  await app.register(layoutRoutes, { db });

  await app.register(spaPlugin, { root: webRoot });
  return app;
}
