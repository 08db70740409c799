import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DryRunResult, ImportUpload, JobCreated, JobParams, StartImportBody, WorkspaceParams } from '@switchboard/shared';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import type { JobRunner } from '../jobs/runner.ts';
import { createDraft, requestUndo, startImport } from './service.ts';
import { receiveUpload } from './upload.ts';

/** CSV imports (lead and up): upload → draft with a suggested mapping → dry run or start → undo. */
export async function importRoutes(app: FastifyInstance, { db, gateway, jobs, config }: { db: Db; gateway: Gateway; jobs: JobRunner; config: Config }) {
  // Registered here, so only these routes accept multipart bodies. Limits are set per request.
  await app.register(multipart, { limits: { fileSize: config.importMaxBytes, files: 1 } });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/workspaces/:workspaceId/imports';
  const agent = (request: { auth: { agent: { id: number } } | null }) => ({ kind: 'agent' as const, id: request.auth!.agent.id });

  r.post(base, {
    schema: { tags: ['jobs'], params: WorkspaceParams, consumes: ['multipart/form-data'], response: { 201: ImportUpload } },
    preValidation: app.requireRole('lead'),
    handler: async (request, reply) => {
      const upload = await receiveUpload(request, config);
      const draft = await createDraft(db, jobs, request.membership!.workspaceId, request.auth!.agent.id, upload);
      reply.status(201);
      return draft;
    },
  });

  r.post(`${base}/:jobId/start`, {
    schema: { tags: ['jobs'], params: JobParams, body: StartImportBody, response: { 200: DryRunResult, 202: JobCreated } },
    preValidation: app.requireRole('lead'),
    handler: async (request, reply) => {
      const out = await startImport(db, gateway, jobs, request.membership!.workspaceId, agent(request), Number(request.params.jobId), request.body);
      if ('dryRun' in out) return out.dryRun;
      reply.status(202);
      return out;
    },
  });

  r.post(`${base}/:jobId/undo`, {
    schema: { tags: ['jobs'], params: JobParams, response: { 202: JobCreated } },
    preValidation: app.requireRole('lead'),
    handler: async (request, reply) => {
      const out = await requestUndo(db, gateway, jobs, request.membership!.workspaceId, agent(request), Number(request.params.jobId));
      reply.status(202);
      return out;
    },
  });
}
