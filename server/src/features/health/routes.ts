import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Health } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { version } from '../../version.ts';

export async function healthRoutes(app: FastifyInstance, { db }: { db: Db }) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/health', {
    schema: { tags: ['health'], response: { 200: Health } },
    config: { public: true },
    handler: async () => {
      // A trivial query proves the database answers, not just the process.
      await db.sql.value('SELECT 1');
      return { ok: true as const, version, uptimeSeconds: Math.round(process.uptime()), database: db.kind === 'postgres' ? ('postgresql' as const) : ('sqlite' as const) };
    },
  });
}
