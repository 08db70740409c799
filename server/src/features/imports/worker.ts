import { closeSync, createReadStream, ftruncateSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { CsvError, parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { openSqlite } from '../../db/sqlite.ts';
import { Outbox, type PendingEvent } from '../../realtime/outbox.ts';
import { loadWireJob } from '../jobs/store.ts';
import { csvOptions, describeCsvError, fmtLine, recordStartLine } from './csv.ts';
import type { ImportPlan } from './plan.ts';
import { describeErrors, rowValidator, type ImportRow } from './row.ts';
import { waitForWriters, writersWaiting } from '../../db/write-intent.ts';
import { ImportWriter } from './writer.ts';

/** Where a run got to, committed with each batch: the next byte and line to read, and how much of errors.csv is valid. */
export interface ImportCheckpoint {
  byteOffset: number;
  lines: number;
  errorBytes: number;
  done?: boolean;
}

export interface WorkerInput {
  dbFile: string;
  jobId: number;
  workspaceId: number;
  authorId: number | null;
  leaseOwner: string;
  inputFile: string;
  errorFile: string;
  fileSize: number;
  plan: ImportPlan;
  checkpoint: ImportCheckpoint | undefined;
  /** Most rows per batch transaction. */
  batchSize: number;
  /** How long the job's lease lasts; each batch extends it. */
  leaseMs: number;
  /** The main thread's pending writes (db/write-intent.ts), shared memory. */
  writeIntent: Int32Array;
}

export type WorkerMessage =
  | { type: 'batch'; events: PendingEvent[] }
  | { type: 'done' }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

type Pos = { bytes: number; lines: number };

/** A parsed, validated row waiting for its transaction: what to write, or the error CSV line. */
interface Item {
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
 * The import's run, on its own thread and its own SQLite connection: streams the file from the
 * checkpoint, validates each row as it is read (outside any transaction), and writes batches in
 * BEGIN IMMEDIATE transactions, each committing its rows, rejected rows' errors.csv offset,
 * checkpoint, counts, lease extension and events together, and only while this node holds the
 * job's lease. The main thread only relays the events.
 */
export async function runImport(input: WorkerInput, shouldStop: () => boolean, post: (m: WorkerMessage) => void): Promise<WorkerMessage> {
  const conn = openSqlite(input.dbFile);
  // A bounded page cache: memory stays flat whatever the file's size.
  conn.pragma(`cache_size = -${process.env.SB_CACHE_KB ?? 8192}`);
  if (process.env.SB_MMAP) conn.pragma(`mmap_size = ${process.env.SB_MMAP}`);
  let errFd: number | undefined;
  try {
    const missing = missingFields(conn, input.plan);
    if (missing) return { type: 'failed', message: missing };
    const cp: ImportCheckpoint = input.checkpoint ?? { byteOffset: 0, lines: 0, errorBytes: 0 };
    if (cp.done) return { type: 'done' };

    // A crash may have left rejected rows of an uncommitted batch behind the checkpoint: cut them off.
    errFd = openSync(input.errorFile, cp.errorBytes === 0 ? 'w' : 'r+');
    ftruncateSync(errFd, cp.errorBytes);
    let errorBytes = cp.errorBytes;
    if (errorBytes === 0) errorBytes += writeSync(errFd, stringify([[...input.plan.columns, 'error']]), 0);

    const writer = new ImportWriter(conn, {
      workspaceId: input.workspaceId,
      jobId: input.jobId,
      authorId: input.authorId,
      channel: input.plan.channel,
      onExisting: input.plan.onExisting,
    });
    const validate = rowValidator(input.plan);
    const width = input.plan.columns.length;
    const update = jobUpdate(conn);
    let lastProgress = 0;
    let queue: Item[] = [];

    const item = (cells: string[], line: number, end: Pos): Item => {
      const r = validate(cells);
      if (r.ok) return { row: r.row, rejected: null, end };
      const padded = [...cells.slice(0, width), ...Array<string>(Math.max(0, width - cells.length)).fill('')];
      return { row: null, rejected: [...padded, `line ${fmtLine(line)}: ${describeErrors(r.errors)}`], end };
    };

    /**
     * One transaction over the front of the queue: up to batchSize rows, fewer when it has held
     * the lock MAX_TX_MS or a writer of the main thread is waiting. `final` (with the queue
     * drained) marks the checkpoint done. False when the job is no longer ours.
     */
    const commitSome = (final: boolean, endOfFile: Pos): boolean => {
      for (let attempt = 1; ; attempt++) {
        const outbox = new Outbox({ conn });
        const t0 = performance.now();
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
          const errorEnd = errors.length ? errorBytes + writeSync(errFd!, stringify(errors), errorBytes) : errorBytes;
          const next: ImportCheckpoint = { byteOffset: done ? input.fileSize : at.bytes, lines: at.lines, errorBytes: errorEnd, ...(done ? { done: true } : {}) };
          if (changed.length) outbox.add(input.workspaceId, 'contacts:changed', { jobId: String(input.jobId), contactIds: changed.map(String), deleted: false });
          const progress = done ? 1 : Math.min(0.999, next.byteOffset / Math.max(1, input.fileSize));
          const r = update.run(c.read, c.created, c.updated, c.skipped, c.rejected, JSON.stringify(next), progress, done ? 1 : 0, c.read, input.errorFile, now + input.leaseMs, now, input.jobId, input.leaseOwner);
          if (r.changes !== 1) {
            conn.exec('ROLLBACK');
            writer.reset();
            return false;
          }
          const withProgress = done || now - lastProgress >= PROGRESS_MS;
          // After the job row's update, in the same transaction: the event shows this batch.
          if (withProgress) outbox.add(input.workspaceId, 'job:progress', loadWireJob({ conn }, input.jobId)!);
          conn.exec('COMMIT');
          if (withProgress) lastProgress = now;
          errorBytes = errorEnd;
          cp.byteOffset = next.byteOffset;
          cp.lines = next.lines;
          queue = queue.slice(k);
          post({ type: 'batch', events: outbox.events, ...(process.env.SB_DEBUG_MEM ? { mem: process.memoryUsage() } : {}) } as WorkerMessage);
          // Stand aside until the main thread's writers are through (they are blocked on the lock).
          if (writersWaiting(input.writeIntent)) waitForWriters(input.writeIntent, YIELD_MS);
          return true;
        } catch (err) {
          if (conn.inTransaction) conn.exec('ROLLBACK');
          writer.reset();
          ftruncateSync(errFd!, errorBytes);
          // Another process held the lock past busy_timeout: try the batch again rather than fail a long import.
          if ((err as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 5) throw err;
        }
      }
    };

    const base: Pos = { bytes: cp.byteOffset, lines: cp.lines };
    let end: Pos = { ...base };
    let lastLineInRun = 0;
    let header = cp.byteOffset === 0;
    const parser = createReadStream(input.inputFile, { start: cp.byteOffset, highWaterMark: 256 * 1024 }).pipe(parse({ ...csvOptions, bom: cp.byteOffset === 0 }));
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { bytes: number; lines: number } }>) {
        if (shouldStop()) return { type: 'stopped' };
        lastLineInRun = info.lines;
        end = { bytes: base.bytes + info.bytes, lines: base.lines + info.lines };
        if (header) {
          header = false;
          continue;
        }
        queue.push(item(record, base.lines + recordStartLine(info.lines, record), end));
        while (queue.length >= input.batchSize) if (!commitSome(false, end)) return { type: 'stopped' };
      }
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      // The rows before the broken one are good: they commit, then the job fails naming the line.
      while (queue.length) if (!commitSome(false, end)) return { type: 'stopped' };
      return { type: 'failed', message: describeCsvError(err, lastLineInRun, base.lines) };
    } finally {
      parser.destroy();
    }
    // The last transaction (possibly of no rows) marks the checkpoint done.
    do {
      if (shouldStop()) return { type: 'stopped' };
      if (!commitSome(true, end)) return { type: 'stopped' };
    } while (queue.length);
    return { type: 'done' };
  } finally {
    if (errFd !== undefined) closeSync(errFd);
    conn.close();
  }
}

/** A field the plan writes to was deleted after the import was started. */
function missingFields(conn: Database.Database, plan: ImportPlan): string | null {
  const exists = conn.prepare('SELECT 1 FROM CustomField WHERE id = ?');
  for (const { field } of plan.fields) if (!exists.get(field.id)) return `The custom field "${field.label}" (custom.${field.key}) was deleted after the import started`;
  return null;
}

/** The batch's update of its job row: only while the job runs under this node's lease (a cancelled or taken-over job's batch rolls back). */
function jobUpdate(conn: Database.Database) {
  return conn.prepare(
    `UPDATE Job SET readCount = readCount + ?, createdCount = createdCount + ?, updatedCount = updatedCount + ?, skippedCount = skippedCount + ?,
       rejectedCount = rejectedCount + ?, checkpoint = ?, progress = ?, totalCount = CASE WHEN ? THEN readCount + ? ELSE totalCount END,
       errorFile = ?, leaseUntil = ?, updatedAt = ?
     WHERE id = ? AND status = 'running' AND leaseOwner = ?`,
  );
}

// As a worker thread (worker-boot.mjs loads this file): run, report, end.
if (parentPort && workerData?.kind === 'import') {
  const port = parentPort;
  let stop = false;
  port.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') stop = true;
  });
  runImport(workerData.input as WorkerInput, () => stop, (m) => port.postMessage(m))
    .then((m) => port.postMessage(m))
    .catch((err: Error) => port.postMessage({ type: 'failed', message: err.message || String(err) } satisfies WorkerMessage))
    .finally(() => port.close());
}
