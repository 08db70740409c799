import type { JobCounts, JobKind } from '@switchboard/shared';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import type { Gateway } from '../../realtime/gateway.ts';

/** A Job row as handlers see it (ids are integers inside). */
export interface JobRecord {
  id: number;
  workspaceId: number;
  kind: JobKind;
  authorId: number | null;
  /** The validated request that created the job (StartImportBody, ExportBody, BulkBody…). */
  params: unknown;
  /** What the handler saved last with `checkpoint()`; undefined on a first run. */
  checkpoint: unknown;
  counts: JobCounts;
  /** Absolute path of the uploaded file (imports). */
  inputFile: string | null;
}

/**
 * What the runner gives a handler. A handler is resumable: after a crash it is called again with
 * the last checkpoint and counts, and must carry on from there without doing anything twice.
 */
export interface JobContext {
  db: Db;
  config: Config;
  gateway: Gateway;
  job: JobRecord;
  /** Aborted when the job is cancelled or the process shuts down; stop at the next batch boundary. */
  signal: AbortSignal;
  /**
   * Call inside the batch's `db.tx()` with its `sql`: adds `delta` to the counts and stores
   * `checkpoint` in the same transaction as the batch, so a restart resumes exactly after the
   * last committed batch. Throws JobStopped (the batch rolls back) once the job is not ours.
   */
  commitBatch(sql: Sql, delta: Partial<JobCounts>, checkpoint: unknown, opts?: { total?: number; progress?: number }): Promise<void>;
  /** After a batch committed: pushes `job:progress` (throttled to ~2 per second per job). */
  reportProgress(): void;
  /** A file of this job under DATA_DIR/jobs/<id>/ (the directory exists). */
  file(name: 'errors.csv' | 'export.csv' | string): string;
  /** Records the job's result files (shown as links on the Jobs page); stored with the next batch or the job's end. */
  setFiles(files: { errorFile?: string; resultFile?: string }): void;
  /**
   * The runner's lease on the job (set by the runner). A handler that writes batches on another
   * connection (the import's worker thread) guards each batch with it, as commitBatch does.
   */
  lease?: { owner: string; ms: number };
}

/** Runs one job to its end; throwing fails the job with the error's message. */
export type JobHandler = (ctx: JobContext) => Promise<void>;

export interface NewJob {
  workspaceId: number;
  kind: JobKind;
  authorId: number | null;
  /** Stored as the job's params and handed back to the handler. */
  params: unknown;
  /** Shown on the Jobs page ("Add tag vip to 1,204 contacts"). */
  title: string;
  total?: number;
  /** Imports start as drafts (uploaded, waiting for their mapping); the rest are queued at once. */
  status?: 'draft' | 'queued';
  /** A file to move under DATA_DIR/jobs/<id>/ as the job's input (an upload). */
  inputFile?: string;
  /** An undo's import. */
  relatedJobId?: number;
}

/**
 * The job queue of this process (`app.jobs`). `create` writes the Job row (and its audit entry)
 * and pushes `job:progress`; a queued job starts as soon as a slot is free; several nodes on one
 * database coordinate through the lease columns of Job.
 */
export interface JobQueue {
  create(job: NewJob): Promise<number>;
  /** Moves a draft to queued (after `params` were replaced) and wakes the runner. */
  queue(jobId: number, params: unknown): Promise<void>;
  cancel(jobId: number): Promise<void>;
  close(): Promise<void>;
}
