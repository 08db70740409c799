import { closeSync, createReadStream, ftruncateSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { CsvError, parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { openSqlite } from '../../db/sqlite.ts';
import { Outbox, type PendingEvent } from '../../realtime/outbox.ts';
import { csvOptions, describeCsvError, fmtLine, recordStartLine } from './csv.ts';
import type { ImportPlan } from './plan.ts';
import { describeErrors, rowValidator, type ImportRow } from './row.ts';
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
  batchSize: number;
}

export type WorkerMessage =
  | { type: 'batch'; events: PendingEvent[] }
  | { type: 'done' }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

interface Pending {
  cells: string[];
  line: number;
}

/**
 * The import's run, on its own thread and its own SQLite connection: streams the file from the
 * checkpoint, validates each row, writes rejected rows to errors.csv and the rest in short
 * BEGIN IMMEDIATE transactions (the main thread's writes wait on busy_timeout meanwhile), each
 * committing its checkpoint and counts with it and only while this node holds the job's lease.
 */
export async function runImport(input: WorkerInput, shouldStop: () => boolean, post: (m: WorkerMessage) => void): Promise<WorkerMessage> {
  const conn = openSqlite(input.dbFile);
  // A bounded page cache: memory stays flat whatever the file's size.
  conn.pragma('cache_size = -32768');
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
    const appendErrors = (rows: string[][]) => {
      if (!rows.length) return;
      errorBytes += writeSync(errFd!, stringify(rows), errorBytes);
    };
    if (errorBytes === 0) appendErrors([[...input.plan.columns, 'error']]);

    const writer = new ImportWriter(conn, {
      workspaceId: input.workspaceId,
      jobId: input.jobId,
      authorId: input.authorId,
      channel: input.plan.channel,
      onExisting: input.plan.onExisting,
    });
    const validate = rowValidator(input.plan);
    const width = input.plan.columns.length;
    const commit = batchCommitter(conn, input);

    /** Validates and commits the pending rows; the checkpoint moves to `end`. False when the job is no longer ours. */
    const flush = (pending: Pending[], end: { bytes: number; lines: number }, final: boolean): boolean => {
      const good: ImportRow[] = [];
      const rejected: string[][] = [];
      for (const p of pending) {
        const r = validate(p.cells);
        if (r.ok) good.push(r.row);
        else rejected.push([...p.cells.slice(0, width), ...Array<string>(Math.max(0, width - p.cells.length)).fill(''), `line ${fmtLine(p.line)}: ${describeErrors(r.errors)}`]);
      }
      // Before the commit: should it fail, the next run truncates the file back to the checkpoint.
      appendErrors(rejected);
      const next: ImportCheckpoint = { byteOffset: final ? input.fileSize : end.bytes, lines: end.lines, errorBytes, ...(final ? { done: true } : {}) };
      const outbox = new Outbox({ conn });
      const ok = commit(() => {
        // A retried attempt starts over: the rolled-back attempt's events never happened.
        outbox.events.length = 0;
        const res = writer.apply(good, Date.now());
        if (res.changedIds.length) outbox.add(input.workspaceId, 'contacts:changed', { jobId: String(input.jobId), contactIds: res.changedIds.map(String), deleted: false });
        return { read: pending.length, created: res.created, updated: res.updated, skipped: res.skipped, rejected: rejected.length };
      }, next, final, () => writer.reloadTags());
      if (ok) post({ type: 'batch', events: outbox.events });
      return ok;
    };

    const base = { bytes: cp.byteOffset, lines: cp.lines };
    let end = { bytes: cp.byteOffset, lines: cp.lines };
    let lastLineInRun = 0;
    let header = cp.byteOffset === 0;
    let pending: Pending[] = [];
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
        pending.push({ cells: record, line: base.lines + recordStartLine(info.lines, record) });
        if (pending.length >= input.batchSize) {
          if (!flush(pending, end, false)) return { type: 'stopped' };
          pending = [];
        }
      }
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      // The rows before the broken one are good: they commit, then the job fails naming the line.
      if (!flush(pending, end, false)) return { type: 'stopped' };
      return { type: 'failed', message: describeCsvError(err, lastLineInRun, base.lines) };
    } finally {
      parser.destroy();
    }
    if (shouldStop()) return { type: 'stopped' };
    return flush(pending, end, true) ? { type: 'done' } : { type: 'stopped' };
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

/**
 * One batch transaction: the rows, their events, the counts and the checkpoint commit together,
 * or not at all. The job row is updated only while it is running under this node's lease, so a
 * cancelled or taken-over job's batch rolls back. SQLITE_BUSY (another process held the lock past
 * busy_timeout) retries the batch a few times rather than failing a long import.
 */
function batchCommitter(conn: Database.Database, input: WorkerInput) {
  const update = conn.prepare(
    `UPDATE Job SET readCount = readCount + ?, createdCount = createdCount + ?, updatedCount = updatedCount + ?, skippedCount = skippedCount + ?,
       rejectedCount = rejectedCount + ?, checkpoint = ?, progress = ?, totalCount = CASE WHEN ? THEN readCount + ? ELSE totalCount END,
       errorFile = ?, updatedAt = ?
     WHERE id = ? AND status = 'running' AND leaseOwner = ?`,
  );
  return (
    work: () => { read: number; created: number; updated: number; skipped: number; rejected: number },
    next: ImportCheckpoint,
    final: boolean,
    onRollback: () => void,
  ): boolean => {
    for (let attempt = 1; ; attempt++) {
      conn.exec('BEGIN IMMEDIATE');
      try {
        const c = work();
        const progress = final ? 1 : Math.min(0.999, next.byteOffset / Math.max(1, input.fileSize));
        const r = update.run(c.read, c.created, c.updated, c.skipped, c.rejected, JSON.stringify(next), progress, final ? 1 : 0, c.read, input.errorFile, Date.now(), input.jobId, input.leaseOwner);
        if (r.changes !== 1) {
          conn.exec('ROLLBACK');
          onRollback();
          return false;
        }
        conn.exec('COMMIT');
        return true;
      } catch (err) {
        if (conn.inTransaction) conn.exec('ROLLBACK');
        onRollback();
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 5) throw err;
      }
    }
  };
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
