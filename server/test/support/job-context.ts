import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobCounts, JobKind } from '@switchboard/shared';
import { jobHandlers } from '../../src/features/jobs/kinds.ts';
import type { JobContext, JobHandler, JobRecord } from '../../src/features/jobs/types.ts';
import type { TestApp } from '../helper.ts';

/**
 * Runs a job handler the way the runner does, on the test app's real database: a Job row,
 * counts and checkpoint stored in each batch's transaction, files under DATA_DIR/jobs/<id>/.
 * `abortAfterBatches` aborts the signal after that many committed batches (cancel, shutdown).
 */
export async function runJob(
  t: TestApp,
  job: { workspaceId: number; kind: JobKind; authorId: number | null; params: unknown },
  opts: { abortAfterBatches?: number; resume?: { id: number; checkpoint: unknown; counts: JobCounts } } = {},
) {
  const id = opts.resume?.id ?? (await t.db.tx((tx) => tx.job.create({
          // Leased far ahead, so an app's own runner never claims this hand-run job.
          data: { workspaceId: job.workspaceId, kind: job.kind, authorId: job.authorId, params: job.params as object, status: 'running', leaseOwner: 'test', leaseUntil: new Date('2999-01-01') },
        }))).id;
  const dir = join(t.config.dataDir, 'jobs', String(id));
  mkdirSync(dir, { recursive: true });
  const abort = new AbortController();
  const state = {
    id,
    counts: { ...(opts.resume?.counts ?? { read: 0, created: 0, updated: 0, skipped: 0, rejected: 0 }) },
    checkpoint: opts.resume?.checkpoint,
    total: null as number | null,
    batches: 0,
    progressReports: 0,
    files: {} as { errorFile?: string; resultFile?: string },
    dir,
  };
  const record: JobRecord = { id, workspaceId: job.workspaceId, kind: job.kind, authorId: job.authorId, params: job.params, checkpoint: opts.resume?.checkpoint, counts: { ...state.counts }, inputFile: null };
  const ctx: JobContext = {
    db: t.db,
    config: t.config,
    gateway: t.app.gateway,
    job: record,
    signal: abort.signal,
    async commitBatch(sql, delta, checkpoint, o) {
      // The contract: inside the batch's transaction, so the checkpoint commits with the batch.
      if (!(t.db.kind === 'sqlite' ? t.db.conn.inTransaction : sql !== t.db.sql)) throw new Error('commitBatch called outside db.tx()');
      for (const [k, v] of Object.entries(delta)) state.counts[k as keyof JobCounts] += v ?? 0;
      state.checkpoint = checkpoint;
      if (o?.total !== undefined) state.total = o.total;
      await sql.run('UPDATE Job SET checkpoint = ?, readCount = ? WHERE id = ?', [JSON.stringify(checkpoint), state.counts.read, id]);
      state.batches++;
      if (opts.abortAfterBatches !== undefined && state.batches >= opts.abortAfterBatches) abort.abort();
    },
    reportProgress() {
      state.progressReports++;
    },
    file: (name) => join(dir, name),
    setFiles(files) {
      state.files = { ...state.files, ...files };
    },
  };
  await (handlerOf(job.kind))(ctx);
  return state;
}

function handlerOf(kind: JobKind): JobHandler {
  const h = jobHandlers[kind];
  if (!h) throw new Error(`no handler for ${kind}`);
  return h;
}
