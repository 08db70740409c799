import type { JobCounts } from '@switchboard/shared';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { jobFile } from './files.ts';
import type { JobRow } from './store.ts';
import type { JobContext, JobRecord } from './types.ts';

/** Thrown inside a batch whose job is no longer ours (cancelled, or its lease went to another node): the batch rolls back. */
export class JobStopped extends Error {
  constructor() {
    super('the job was cancelled or taken over by another node');
    this.name = 'JobStopped';
  }
}

export interface JobContextInput {
  deps: { db: Db; config: Config; gateway: Gateway };
  row: JobRow;
  job: JobRecord;
  signal: AbortSignal;
  lease: { owner: string; ms: number };
  /** Filled by the handler through setFiles; the runner records them when the job ends. */
  files: { errorFile?: string; resultFile?: string };
  reportProgress: () => void;
}

/** What one run of a handler sees; `commitBatch` is where counts, checkpoint and lease move together. */
export function jobContext({ deps, row, job, signal, lease, files, reportProgress }: JobContextInput): JobContext {
  const { db, config, gateway } = deps;
  return {
    db,
    config,
    gateway,
    job,
    signal,
    lease,
    commitBatch: async (sql, delta, checkpoint, opts) => {
      if (!inTransaction(db, sql)) throw new Error('commitBatch must be called inside db.tx() with its sql');
      const d: JobCounts = { read: 0, created: 0, updated: 0, skipped: 0, rejected: 0, ...delta };
      const total = opts?.total ?? null;
      const counts = { ...job.counts };
      for (const k of Object.keys(d) as (keyof JobCounts)[]) counts[k] += d[k];
      const knownTotal = total ?? (row.totalCount as number | null);
      const fraction = opts?.progress ?? (knownTotal ? Math.min(1, counts.read / knownTotal) : null);
      const now = Date.now();
      // Only while the job is still running under this node's lease: otherwise the batch rolls back.
      const changed = await sql.run(
        `UPDATE Job SET readCount = readCount + ?, createdCount = createdCount + ?, updatedCount = updatedCount + ?, skippedCount = skippedCount + ?,
           rejectedCount = rejectedCount + ?, checkpoint = ?, totalCount = COALESCE(?, totalCount), progress = COALESCE(?, progress),
           errorFile = COALESCE(?, errorFile), resultFile = COALESCE(?, resultFile), leaseUntil = ?, updatedAt = ?
         WHERE id = ? AND status = 'running' AND leaseOwner = ?`,
        [
          d.read,
          d.created,
          d.updated,
          d.skipped,
          d.rejected,
          JSON.stringify(checkpoint ?? null),
          total,
          fraction,
          files.errorFile ?? null,
          files.resultFile ?? null,
          new Date(now + lease.ms),
          new Date(now),
          row.id,
          lease.owner,
        ],
      );
      if (changed !== 1) throw new JobStopped();
      job.counts = counts;
      job.checkpoint = checkpoint;
      if (total !== null) row.totalCount = total;
    },
    reportProgress,
    file: (name) => jobFile(config, row.id, name),
    setFiles: (f) => Object.assign(files, f),
  };
}

/**
 * Whether `sql` runs inside a transaction. On SQLite `db.sql` and a transaction's `sql` share the
 * one connection, which knows; on PostgreSQL only a transaction's `sql` is not `db.sql`.
 */
function inTransaction(db: Db, sql: Sql): boolean {
  return db.kind === 'sqlite' ? db.conn.inTransaction : sql !== db.sql;
}
