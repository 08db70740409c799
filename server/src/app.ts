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
import { Gateway } from './realtime/gateway.ts';
import { MemoryPresence } from './realtime/presence.ts';
import { createRealtime } from './realtime/server.ts';
import { connectRedis } from './realtime/redis.ts';
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
import { conversationRoutes } from './features/conversations/routes.ts';
import { conversationCommands } from './features/conversations/socket.ts';
import { inboundRoutes } from './features/inbound/routes.ts';
import { widgetRoutes } from './features/widget/routes.ts';
import { setupWidgetSocket } from './features/widget/socket.ts';
import { webhookSettingsRoutes } from './features/outbound/routes.ts';
import { OutboundWorker, type OutboundWorkerOptions } from './features/outbound/worker.ts';
import { JobRunner, type JobRunnerOptions } from './features/jobs/runner.ts';
import { jobRoutes } from './features/jobs/routes.ts';
import { Housekeeping } from './features/jobs/housekeeping.ts';
import { exportRoutes } from './features/exports/routes.ts';
import { bulkRoutes } from './features/bulk/routes.ts';
import { importRoutes } from './features/imports/routes.ts';

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
    /** The realtime gateway (services publish through it after commit). */
    gateway: Gateway;
    /** The job queue (imports, exports, bulk actions); it runs jobs only where AppOptions.jobs asks. */
    jobs: JobRunner;
  }
}

export interface AppOptions {
  config: Config;
  db: Db;
  /** The built console (web/build); tests without a build simply get no SPA. */
  webRoot?: string;
  logger?: boolean;
  /** Run the outbound webhook worker in this process (server.ts does; tests opt in). */
  outbound?: OutboundWorkerOptions | false;
  /** Run queued jobs in this process (server.ts does; tests opt in). The queue exists either way. */
  jobs?: JobRunnerOptions | false;
}

/** Builds the whole HTTP app without listening: server.ts listens, tests use `inject`. */
export async function buildApp({ config, db, webRoot = defaultWebRoot, logger = true, outbound = false, jobs: runJobs = false }: AppOptions): Promise<FastifyInstance> {
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

  const gateway = new Gateway(db);
  app.decorate('gateway', gateway);
  const deps = { db, gateway };
  const jobs = new JobRunner({ db, config, gateway, log: app.log }, runJobs || {});
  app.decorate('jobs', jobs);

  await app.register(healthRoutes, { db });
  await app.register(authRoutes, { db, config });
  await app.register(workspaceRoutes, { db });
  await app.register(memberRoutes, deps);
  await app.register(apiKeyRoutes, { db });
  await app.register(contactRoutes, deps);
  await app.register(noteRoutes, deps);
  await app.register(segmentRoutes, deps);
  await app.register(fieldRoutes, deps);
  await app.register(tagRoutes, deps);
  await app.register(layoutRoutes, deps);
  await app.register(conversationRoutes, deps);
  await app.register(inboundRoutes, { ...deps, config });
  await app.register(widgetRoutes, { ...deps, config });
  await app.register(webhookSettingsRoutes, deps);
  await app.register(jobRoutes, { db, jobs });
  await app.register(importRoutes, { ...deps, jobs, config });
  await app.register(exportRoutes, { db, jobs });
  await app.register(bulkRoutes, { db, jobs });

  await app.register(spaPlugin, { root: webRoot });

  const redis = config.redisUrl ? await connectRedis(config.redisUrl, config.redisPrefix) : undefined;
  const io = createRealtime(app, { db, gateway, presence: redis?.presence ?? new MemoryPresence(), commands: [conversationCommands(deps)] });
  if (redis) io.adapter(redis.adapter);
  setupWidgetSocket(app, deps);
  if (outbound) {
    const worker = new OutboundWorker({ ...deps, log: app.log }, outbound);
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }
  if (runJobs) {
    const housekeeping = new Housekeeping({ db, config, gateway, jobs, log: app.log });
    app.addHook('onReady', async () => {
      jobs.start();
      housekeeping.start();
    });
    app.addHook('onClose', async () => housekeeping.stop());
  }
  // Running jobs stop at their next batch boundary and hand their leases back for the next start.
  app.addHook('onClose', async () => jobs.close());
  // A keep-alive connection whose request was in flight when closing began would stay open once
  // idle (Node reaps idle connections once, at close()), and close() would wait for the client or
  // the 72 s keep-alive timeout: a SIGTERM'd node then missed its 10 s grace. Responses sent while
  // closing end their connection instead.
  let closing = false;
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  // Before the HTTP server closes: tell clients to come back (they reconnect to another node or
  // to this one after restart), then drop the sockets so close() does not wait on them.
  app.addHook('preClose', async () => {
    closing = true;
    gateway.flush(); // events published in this last turn go out before the goodbye
    io.local.emit('session:ended', { reason: 'shutdown' });
    await io.close();
    await redis?.close();
  });
  return app;
}
