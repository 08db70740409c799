import { ftruncateSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { summariseIds } from '@switchboard/shared/realtime';
import type { Sql } from '../../db/sql.ts';
import { WRITE_LOCK } from '../../db/postgres.ts';
import { Outbox } from '../../realtime/outbox.ts';
import { loadWireJob } from '../jobs/store.ts';
import type { Item, Pos } from './batch.ts';
import type { ImportCheckpoint, WorkerInput, WorkerMessage } from './worker.ts';
import type { PgImportWriter } from './writer-pg.ts';

/**
 * A batch holds the write lock (every write transaction's advisory lock, db/postgres.ts) about
 * this long, as the SQLite batches hold SQLite's: edits from agents on any node wait no longer.
 * The writer is set-based, so the rows per batch are sized from the last batch's time.
 */
const TARGET_TX_MS = 200;
const MIN_ROWS = 50;
const PROGRESS_MS = 500;

/**
 * ImportBatches for PostgreSQL, on the worker's own connection: each transaction takes the
 * write lock, applies rows from the front of the queue with the set-based writer, and commits
 * them with their rejected rows' place in errors.csv, the checkpoint, the counts, a lease
 * extension and the events, and only while this node holds the job's lease.
 */
export class PgImportBatches {
  private queue: Item[] = [];
  private lastProgress = 0;
  private rows: number;

  constructor(
    private readonly begin: () => Promise<void>,
    private readonly end: (commit: boolean) => Promise<void>,
    private readonly sql: Sql,
    private readonly input: WorkerInput,
    private readonly writer: PgImportWriter,
    private readonly errFd: number,
    private readonly cp: ImportCheckpoint,
    private readonly post: (m: WorkerMessage) => void,
  ) {
    this.rows = Math.min(input.batchSize, 500);
  }

  get size(): number {
    return this.queue.length;
  }

  push(item: Item): void {
    this.queue.push(item);
  }

  /** As ImportBatches.commit; false when the job is no longer ours. */
  async commit(final: boolean, endOfFile: Pos): Promise<boolean> {
    const { sql, input, writer, cp, queue } = this;
    const outbox = new Outbox();
    const t0 = performance.now();
    await this.begin();
    try {
      await sql.run('SELECT pg_advisory_xact_lock(?)', [WRITE_LOCK]);
      const now = Date.now();
      const taken = queue.slice(0, Math.min(this.rows, input.batchSize));
      const result = await writer.apply(sql, taken.flatMap((it) => (it.row ? [it.row] : [])), now);
      const errors = taken.flatMap((it) => (it.rejected ? [it.rejected] : []));
      const c = { read: taken.length, created: result.created, updated: result.updated, skipped: result.skipped, rejected: errors.length };
      const k = taken.length;
      const done = final && k === queue.length;
      const at = done ? endOfFile : k ? queue[k - 1]!.end : { bytes: cp.byteOffset, lines: cp.lines };
      // Before the commit: should it not happen, the next run truncates errors.csv back to the checkpoint.
      const errorEnd = errors.length ? cp.errorBytes + writeSync(this.errFd, stringify(errors), cp.errorBytes) : cp.errorBytes;
      const next: ImportCheckpoint = { byteOffset: done ? input.fileSize : at.bytes, lines: at.lines, errorBytes: errorEnd, ...(done ? { done: true } : {}) };
      if (result.changedIds.length) {
        await outbox.add(sql, input.workspaceId, 'contacts:changed', { jobId: String(input.jobId), ...summariseIds(result.changedIds), deleted: false });
      }
      const progress = done ? 1 : Math.min(0.999, next.byteOffset / Math.max(1, input.fileSize));
      const changed = await sql.run(
        `UPDATE Job SET readCount = readCount + ?, createdCount = createdCount + ?, updatedCount = updatedCount + ?, skippedCount = skippedCount + ?,
           rejectedCount = rejectedCount + ?, checkpoint = ?, progress = ?, totalCount = CASE WHEN ? THEN readCount + ? ELSE totalCount END,
           errorFile = ?, leaseUntil = ?, updatedAt = ?
         WHERE id = ? AND status = 'running' AND leaseOwner = ?`,
        [c.read, c.created, c.updated, c.skipped, c.rejected, JSON.stringify(next), progress, done, c.read, input.errorFile,
          new Date(now + input.leaseMs), new Date(now), input.jobId, input.leaseOwner],
      );
      if (changed !== 1) {
        await this.end(false);
        await writer.reset(sql);
        ftruncateSync(this.errFd, cp.errorBytes);
        return false;
      }
      const withProgress = done || now - this.lastProgress >= PROGRESS_MS;
      if (withProgress) await outbox.add(sql, input.workspaceId, 'job:progress', (await loadWireJob(sql, input.jobId))!);
      await this.end(true);
      if (withProgress) this.lastProgress = now;
      Object.assign(cp, next);
      this.queue = queue.slice(k);
      this.post({ type: 'batch', events: outbox.events });
      // Next batch sized to hold the lock about TARGET_TX_MS.
      const ms = Math.max(1, performance.now() - t0);
      if (k >= this.rows) this.rows = Math.max(MIN_ROWS, Math.min(input.batchSize, Math.round((this.rows * TARGET_TX_MS) / ms)));
      return true;
    } catch (err) {
      await this.end(false).catch(() => undefined);
      await writer.reset(sql).catch(() => undefined);
      ftruncateSync(this.errFd, cp.errorBytes);
      throw err;
    }
  }
}
