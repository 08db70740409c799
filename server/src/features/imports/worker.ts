import { closeSync, createReadStream, ftruncateSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { CsvError, parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { openSqlite } from '../../db/sqlite.ts';
import type { PendingEvent } from '../../realtime/outbox.ts';
import { ImportBatches, type Item, type Pos } from './batch.ts';
import { csvOptions, describeCsvError, fmtLine, recordStartLine } from './csv.ts';
import type { ImportPlan } from './plan.ts';
import { describeErrors, rowValidator } from './row.ts';
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

/**
 * The import's run, on its own thread and its own SQLite connection: streams the file from the
 * checkpoint, validates each row as it is read (outside any transaction), and writes batches in
 * BEGIN IMMEDIATE transactions, each committing its rows, rejected rows' errors.csv offset,
 * checkpoint, counts, lease extension and events together, and only while this node holds the
 * job's lease. The main thread only relays the events.
 */
export async function runImport(input: WorkerInput, shouldStop: () => boolean, post: (m: WorkerMessage) => void): Promise<WorkerMessage> {
  const conn = openSqlite(input.dbFile);
  // A bounded page cache: the process's own memory stays flat whatever the file's size. 32 MB
  // holds most of a 5,000-row batch's dirty index pages, so they are written once at commit
  // rather than spilled mid-batch (8 MB: 152 µs of CPU a row, 32 MB: 129, measured at 100k rows).
  // Reads go through the connection's memory map (db/sqlite.ts): the pages it touches count in
  // RSS but are the OS's file cache, shared and reclaimable.
  conn.pragma('cache_size = -32768');
  // Every insert here may abort half-way (unique keys, foreign keys), so SQLite journals the pages
  // it changes for a statement rollback; past 64 KB that journal spills to a temp file, which cost
  // ~20 write() calls a contact. In memory it holds one statement's pages (~40 KB) at a time,
  // reused by the next: 193 → 152 µs of CPU a row.
  conn.pragma('temp_store = MEMORY');
  let errFd: number | undefined;
  try {
    const missing = missingFields(conn, input.plan);
    if (missing) return { type: 'failed', message: missing };
    const cp: ImportCheckpoint = input.checkpoint ?? { byteOffset: 0, lines: 0, errorBytes: 0 };
    if (cp.done) return { type: 'done' };

    // A crash may have left rejected rows of an uncommitted batch behind the checkpoint: cut them off.
    errFd = openSync(input.errorFile, cp.errorBytes === 0 ? 'w' : 'r+');
    ftruncateSync(errFd, cp.errorBytes);
    if (cp.errorBytes === 0) cp.errorBytes = writeSync(errFd, stringify([[...input.plan.columns, 'error']]), 0);

    const writer = new ImportWriter(conn, {
      workspaceId: input.workspaceId,
      jobId: input.jobId,
      authorId: input.authorId,
      channel: input.plan.channel,
      onExisting: input.plan.onExisting,
    });
    const validate = rowValidator(input.plan);
    const width = input.plan.columns.length;
    const batches = new ImportBatches(conn, input, writer, errFd, cp, post);

    const item = (cells: string[], line: number, end: Pos): Item => {
      const r = validate(cells);
      if (r.ok) return { row: r.row, rejected: null, end };
      const padded = [...cells.slice(0, width), ...Array<string>(Math.max(0, width - cells.length)).fill('')];
      return { row: null, rejected: [...padded, `line ${fmtLine(line)}: ${describeErrors(r.errors)}`], end };
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
        batches.push(item(record, base.lines + recordStartLine(info.lines, record), end));
        while (batches.size >= input.batchSize) if (!batches.commit(false, end)) return { type: 'stopped' };
      }
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      // The rows before the broken one are good: they commit, then the job fails naming the line.
      while (batches.size) if (!batches.commit(false, end)) return { type: 'stopped' };
      return { type: 'failed', message: describeCsvError(err, lastLineInRun, base.lines) };
    } finally {
      parser.destroy();
    }
    // The last transaction (possibly of no rows) marks the checkpoint done.
    do {
      if (shouldStop()) return { type: 'stopped' };
      if (!batches.commit(true, end)) return { type: 'stopped' };
    } while (batches.size);
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
