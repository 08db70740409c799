import { existsSync, rmSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { holding, writeIntent } from '../../db/write-intent.ts';
import type { JobHandler } from '../jobs/types.ts';
import { JobStopped } from '../jobs/context.ts';
import type { ImportParams } from './service.ts';
import type { ImportCheckpoint, WorkerInput, WorkerMessage } from './worker.ts';

/**
 * The uploaded CSV once the import has ended for good (done, cancelled, or failed on the file): no
 * resume or undo reads it again, and it holds every row's personal data, which an erasure of one
 * of those contacts could not otherwise remove. An import stopped by a shutdown keeps it to resume.
 */
function dropUpload(file: string): void {
  rmSync(file, { force: true });
}

const bootUrl = new URL('./worker-boot.mjs', import.meta.url);
const entryUrl = new URL('./worker.ts', import.meta.url).href;

/**
 * Runs an import: parsing, validation and the writes happen on a worker thread with its own
 * SQLite connection, so the event loop serving HTTP and sockets stays free. The worker commits
 * each batch with its checkpoint; this side relays the batch's events and the job's progress,
 * and asks the worker to stop at the next batch boundary when the job is cancelled or the
 * process shuts down.
 */
export const importJob: JobHandler = async (ctx) => {
  const params = ctx.job.params as ImportParams;
  if (!ctx.job.inputFile) throw new Error('The uploaded file is missing');
  if (!params.plan) throw new Error('The import was never started with a mapping');
  const errorFile = ctx.file('errors.csv');
  ctx.setFiles({ errorFile });
  const input: WorkerInput = {
    databaseUrl: ctx.config.databaseUrl,
    jobId: ctx.job.id,
    workspaceId: ctx.job.workspaceId,
    authorId: ctx.job.authorId,
    leaseOwner: ctx.lease?.owner ?? '',
    inputFile: ctx.job.inputFile,
    errorFile,
    // Gone only after the last batch committed (a crash just then resumes into `done`).
    fileSize: existsSync(ctx.job.inputFile) ? statSync(ctx.job.inputFile).size : 0,
    plan: params.plan,
    checkpoint: ctx.job.checkpoint as ImportCheckpoint | undefined,
    batchSize: ctx.config.importBatchRows,
    leaseMs: ctx.lease?.ms ?? ctx.config.jobLeaseMs,
    writeIntent,
  };
  // No inherited execArgv: preloads given to the server process (--import …) are not for the worker.
  const worker = new Worker(bootUrl, {
    workerData: { kind: 'import', entry: entryUrl, input },
    execArgv: [],
    // A small young generation: the worker's garbage is short-lived rows. A stated old generation
    // limit makes V8 collect it at ~55 MB (live ~25 MB) instead of letting dead batches pile up to
    // ~120 MB first: the server's RSS during a 100k-row import +205 → +133 MB, at no measurable
    // CPU cost. Explicit gc() after each batch did as well for RSS but cost 25 % more CPU a row.
    // 256 MB leaves a huge tag catalogue or 16 MB batches of wide rows room.
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
  });
  const stop = () => worker.postMessage({ type: 'stop' });
  ctx.signal.addEventListener('abort', stop, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
      };
      worker.on('message', (m: WorkerMessage) => {
        switch (m.type) {
          case 'batch': {
            // Committed by the worker with its events (job:progress included, throttled there):
            // this thread only publishes them, so it never waits on the write lock for the import.
            const outbox = ctx.gateway.outbox();
            outbox.events.push(...m.events);
            ctx.gateway.publish(outbox);
            return;
          }
          case 'done':
            dropUpload(ctx.job.inputFile!);
            return settle(resolve);
          case 'stopped':
            // Cancelled is final too; a shutdown or a lost lease resumes from the file.
            if ((ctx.signal.reason as Error | undefined)?.message === 'cancelled') dropUpload(ctx.job.inputFile!);
            return settle(() => reject(new JobStopped()));
          case 'failed':
            dropUpload(ctx.job.inputFile!);
            return settle(() => reject(new Error(m.message)));
        }
      });
      worker.on('error', (err) => settle(() => reject(err)));
      worker.on('exit', (code) => settle(() => reject(new Error(`The import worker stopped unexpectedly (exit code ${code})`))));
    });
  } finally {
    ctx.signal.removeEventListener('abort', stop);
    await worker.terminate();
    // A worker that died inside a transaction never cleared its flag: the main thread's writes must not wait on it.
    holding(writeIntent, false);
  }
};
