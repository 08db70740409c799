import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

const notSpa = /^\/(api|socket\.io|docs)(\/|$)/;

/**
 * Serves the built console. Client-side routes (/login, /w/1/inbox …) get index.html;
 * API, socket and docs paths keep their JSON 404. This is the app's only not-found handler.
 */
export const spaPlugin = fp(async (app: FastifyInstance, opts: { root: string }) => {
  const index = join(opts.root, 'index.html');
  const built = existsSync(index);
  if (!built) app.log.warn(`console not built (${index} missing): run "npm run build -w web"`);
  if (built) await app.register(fastifyStatic, {
    root: opts.root,
    wildcard: false,
    index: false,
    // Hashed asset names under /_app/immutable never change; index.html must always revalidate.
    setHeaders: (res, path) => {
      res.header('cache-control', path.includes('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    if (built && (request.method === 'GET' || request.method === 'HEAD') && !notSpa.test(path)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send({ code: 'not_found', message: `No route ${request.method} ${path}` });
  });
});
