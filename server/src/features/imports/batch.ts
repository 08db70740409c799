import { ftruncateSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import { summariseIds } from '@switchboard/shared/realtime';
import { holding, waitForWriters, writersWaiting } from '../../db/write-intent.ts';
import { Outbox } from '../../realtime/outbox.ts';
import { loadWireJobSqlite } from '../jobs/store.ts';
import type { ImportRow } from './row.ts';
import type { ImportCheckpoint, WorkerInput, WorkerMessage } from './worker.ts';
import type { ImportWriter } from './writer.ts';

export type Pos = { bytes: number; lines: number };

/** A parsed, validated row waiting for its transaction: what to write, or its error CSV line. */
export interface Item {
  row: ImportRow | null;
  rejected: string[] | null;
  /** Where the file stands after this row: the checkpoint if it is the last of a batch. */
  end: Pos;
}

/**
 * A batch holds SQLite's write lock at most this long, so writers in other processes (another
 * node) wait no longer on busy_timeout. Writers of this process do not wait even that long: the
 * batch ends at the next row once one announces itself.
 */
const MAX_TX_MS = 200;
/** How long the worker stands aside for this process's writers after yielding, at most. */
const YIELD_MS = 100;
/** `job:progress` at most this often; the batch that crosses it writes the event in its transaction. */
const PROGRESS_MS = 500;

/**
 * The import's transactions, on the worker's connection. Each takes rows from the front of the
 * queue and commits them with their rejected rows' place in errors.csv, the checkpoint, the
 * counts, a lease extension and the events, and only while this node holds the job's lease.
 */
export class ImportBatches {
  private queue: Item[] = [];
  private lastProgress = 0;
  private readonly update: Database.Statement;

  constructor(
    private readonly conn: Database.Database,
    private readonly input: WorkerInput,
    private readonly writer: ImportWriter,
    private readonly errFd: number,
    /** The committed checkpoint; moved by every commit. */
    private readonly cp: ImportCheckpoint,
    private readonly post: (m: WorkerMessage) => void,
  ) {
    // Only while the job runs under this node's lease: a cancelled or taken-over job's batch rolls back.
    this.update = conn.prepare(
      `UPDATE Job SET readCount = readCount + ?, createdCount = createdCount + ?, updatedCount = updatedCount + ?, skippedCount = skippedCount + ?,
         rejectedCount = rejectedCount + ?, checkpoint = ?, progress = ?, totalCount = CASE WHEN ? THEN readCount + ? ELSE totalCount END,
         errorFile = ?, leaseUntil = ?, updatedAt = ?
       WHERE id = ? AND status = 'running' AND leaseOwner = ?`,
    );
  }

  get size(): number {
    return this.queue.length;
  }

  push(item: Item): void {
    this.queue.push(item);
  }

  /**
   * One transaction over the front of the queue: up to batchSize rows, fewer when it has held the
   * lock MAX_TX_MS or a writer of the main thread is waiting. `final` (with the queue drained)
   * marks the checkpoint done. False when the job is no longer ours.
   */
  commit(final: boolean, endOfFile: Pos): boolean {
    const { conn, input, writer, cp, queue } = this;
    for (let attempt = 1; ; attempt++) {
      const outbox = new Outbox();
      const t0 = performance.now();
      holding(input.writeIntent, true);
      conn.exec('BEGIN IMMEDIATE');
      try {
        const now = Date.now();
        const c = { read: 0, created: 0, updated: 0, skipped: 0, rejected: 0 };
        const changed: number[] = [];
        const errors: string[][] = [];
        let k = 0;
        while (k < queue.length && k < input.batchSize) {
          const it = queue[k++]!;
          c.read++;
          if (it.row) {
            const { outcome, contactId } = writer.applyOne(it.row, now);
            c[outcome]++;
            if (outcome !== 'skipped') changed.push(contactId);
          } else {
            c.rejected++;
            errors.push(it.rejected!);
          }
          if (writersWaiting(input.writeIntent) || performance.now() - t0 > MAX_TX_MS) break;
        }
        writer.flushIndex();
        const done = final && k === queue.length;
        const at = done ? endOfFile : k ? queue[k - 1]!.end : { bytes: cp.byteOffset, lines: cp.lines };
        // Before the commit: should it not happen, the next run truncates errors.csv back to the checkpoint.
        const errorEnd = errors.length ? cp.errorBytes + writeSync(this.errFd, stringify(errors), cp.errorBytes) : cp.errorBytes;
        const next: ImportCheckpoint = { byteOffset: done ? input.fileSize : at.bytes, lines: at.lines, errorBytes: errorEnd, ...(done ? { done: true } : {}) };
        if (changed.length) outbox.addSqlite(conn, input.workspaceId, 'contacts:changed', { jobId: String(input.jobId), ...summariseIds(changed), deleted: false });
        const progress = done ? 1 : Math.min(0.999, next.byteOffset / Math.max(1, input.fileSize));
        const r = this.update.run(c.read, c.created, c.updated, c.skipped, c.rejected, JSON.stringify(next), progress, done ? 1 : 0, c.read, input.errorFile, now + input.leaseMs, now, input.jobId, input.leaseOwner);
        if (r.changes !== 1) {
          conn.exec('ROLLBACK');
          holding(input.writeIntent, false);
          writer.reset();
          return false;
        }
        const withProgress = done || now - this.lastProgress >= PROGRESS_MS;
        // After the job row's update, in the same transaction: the event shows this batch.
        if (withProgress) outbox.addSqlite(conn, input.workspaceId, 'job:progress', loadWireJobSqlite(conn, input.jobId)!);
        conn.exec('COMMIT');
        holding(input.writeIntent, false);
        if (withProgress) this.lastProgress = now;
        Object.assign(cp, next);
        this.queue = queue.slice(k);
        this.post({ type: 'batch', events: outbox.events });
        // Stand aside until the main thread's writers are through (they are blocked on the lock).
        if (writersWaiting(input.writeIntent)) waitForWriters(input.writeIntent, YIELD_MS);
        return true;
      } catch (err) {
        if (conn.inTransaction) conn.exec('ROLLBACK');
        holding(input.writeIntent, false);
        writer.reset();
        ftruncateSync(this.errFd, cp.errorBytes);
        // Another process held the lock past busy_timeout: try the batch again rather than fail a long import.
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 5) throw err;
      }
    }
  }
}
