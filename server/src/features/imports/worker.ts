import { closeSync, createReadStream, ftruncateSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { CsvError, parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import pg from 'pg';
import { pgClientSql, type Sql } from '../../db/sql.ts';
import { openSqlite, sqlitePath } from '../../db/sqlite.ts';
import type { PendingEvent } from '../../realtime/outbox.ts';
import { ImportBatches, type Item, type Pos } from './batch.ts';
import { csvOptions, describeCsvError, fmtLine, recordStartLine } from './csv.ts';
import type { ImportPlan } from './plan.ts';
import { describeErrors, rowValidator } from './row.ts';
import { PgImportBatches } from './batch-pg.ts';
import { ImportWriter } from './writer.ts';
import { PgImportWriter } from './writer-pg.ts';

/** Where a run got to, committed with each batch: the next byte and line to read, and how much of errors.csv is valid. */
export interface ImportCheckpoint {
  byteOffset: number;
  lines: number;
  errorBytes: number;
  done?: boolean;
}

export interface WorkerInput {
  /** DATABASE_URL: a SQLite file (`file:`) or PostgreSQL. */
  databaseUrl: string;
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
 * The import's run, on its own thread and its own connection (SQLite, or a PostgreSQL client): streams the file from the
 * checkpoint, validates each row as it is read (outside any transaction), and writes batches in
 * BEGIN IMMEDIATE transactions, each committing its rows, rejected rows' errors.csv offset,
 * checkpoint, counts, lease extension and events together, and only while this node holds the
 * job's lease. The main thread only relays the events.
 */
export async function runImport(input: WorkerInput, shouldStop: () => boolean, post: (m: WorkerMessage) => void): Promise<WorkerMessage> {
  if (!input.databaseUrl.startsWith('file:')) return runOnPostgres(input, shouldStop, post);
  const conn = openSqlite(sqlitePath(input.databaseUrl));
  // A bounded page cache: the process's own memory stays flat whatever the file's size. 32 MB
  // holds most of a 5,000-row batch's dirty index pages, so they are written once at commit
  // rather than spilled mid-batch (8 MB: 152 µs of CPU a row, 32 MB: 129, measured at 100k rows).
  conn.pragma('cache_size = -32768');
  // No memory map for this connection: an import's lookups and inserts touch nearly every index
  // page of the database, and through the map (db/sqlite.ts) each page stays in the server's RSS
  // (1M rows: RSS +1,005 MB, of which 129 MB its own memory). Read into the page cache above
  // instead, RSS grows ~120 MB for 100k and for 1M rows alike, for ~10 % more CPU a row
  // (215 → 237 µs at 1M). Remapping after each batch kept +272 MB and cost as much.
  conn.pragma('mmap_size = 0');
  // Every insert here may abort half-way (unique keys, foreign keys), so SQLite journals the pages
  // it changes for a statement rollback; past 64 KB that journal spills to a temp file, which cost
  // ~20 write() calls a contact. In memory it holds one statement's pages (~40 KB) at a time,
  // reused by the next: 193 → 152 µs of CPU a row.
  conn.pragma('temp_store = MEMORY');
  try {
    return await withErrorFile(input, async (cp, errFd) => {
      const missing = missingFields(conn, input.plan);
      if (missing) return { type: 'failed', message: missing };
      const writer = new ImportWriter(conn, writerOptions(input));
      return streamRows(input, cp, new ImportBatches(conn, input, writer, errFd, cp, post), shouldStop);
    });
  } finally {
    conn.close();
  }
}

/**
 * The same run on PostgreSQL: the worker's own client, the set-based writer, batches sized to
 * hold the write lock about as long as SQLite's (batch-pg.ts).
 */
async function runOnPostgres(input: WorkerInput, shouldStop: () => boolean, post: (m: WorkerMessage) => void): Promise<WorkerMessage> {
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  const sql = pgClientSql(client);
  try {
    return await withErrorFile(input, async (cp, errFd) => {
      const missing = await missingFieldsSql(sql, input.plan);
      if (missing) return { type: 'failed', message: missing };
      const writer = new PgImportWriter(writerOptions(input));
      await writer.init(sql);
      const begin = async () => void (await client.query('BEGIN'));
      const end = async (commit: boolean) => void (await client.query(commit ? 'COMMIT' : 'ROLLBACK'));
      return streamRows(input, cp, new PgImportBatches(begin, end, sql, input, writer, errFd, cp, post), shouldStop);
    });
  } finally {
    await client.end();
  }
}

const writerOptions = (input: WorkerInput) => ({
  workspaceId: input.workspaceId,
  jobId: input.jobId,
  authorId: input.authorId,
  channel: input.plan.channel,
  onExisting: input.plan.onExisting,
});

/** Opens errors.csv at the checkpoint (cutting off rows of a batch that never committed) around the run. */
async function withErrorFile(input: WorkerInput, run: (cp: ImportCheckpoint, errFd: number) => Promise<WorkerMessage>): Promise<WorkerMessage> {
  const cp: ImportCheckpoint = input.checkpoint ?? { byteOffset: 0, lines: 0, errorBytes: 0 };
  if (cp.done) return { type: 'done' };
  const errFd = openSync(input.errorFile, cp.errorBytes === 0 ? 'w' : 'r+');
  try {
    ftruncateSync(errFd, cp.errorBytes);
    if (cp.errorBytes === 0) cp.errorBytes = writeSync(errFd, stringify([[...input.plan.columns, 'error']]), 0);
    return await run(cp, errFd);
  } finally {
    closeSync(errFd);
  }
}

/** What the streaming loop needs of either database's batches. */
interface Batches {
  readonly size: number;
  push(item: Item): void;
  commit(final: boolean, endOfFile: Pos): boolean | Promise<boolean>;
}

/** Most bytes of the file a batch holds, whatever its row count. */
const BATCH_BYTES = 16 * 1024 * 1024;

/**
 * Streams the file from the checkpoint, validates each row as it is read (outside any
 * transaction) and hands full batches to `batches`, which commit them.
 */
async function streamRows(input: WorkerInput, cp: ImportCheckpoint, batches: Batches, shouldStop: () => boolean): Promise<WorkerMessage> {
  const validate = rowValidator(input.plan);
  const width = input.plan.columns.length;
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
  const records = new RecordQueue(createReadStream(input.inputFile, { start: cp.byteOffset, highWaterMark: 256 * 1024 }).pipe(parse({ ...csvOptions, bom: cp.byteOffset === 0 })));
  try {
    for (let next = await records.next(); next; next = await records.next()) {
      const { record, info } = next;
      if (shouldStop()) return { type: 'stopped' };
      lastLineInRun = info.lines;
      end = { bytes: base.bytes + info.bytes, lines: base.lines + info.lines };
      if (header) {
        header = false;
        continue;
      }
      batches.push(item(record, base.lines + recordStartLine(info.lines, record), end));
      // Rows or bytes, whichever fills first: 5,000 rows of 1 MB cells must not all wait in memory.
      while (batches.size >= input.batchSize || end.bytes - cp.byteOffset >= BATCH_BYTES) if (!(await batches.commit(false, end))) return { type: 'stopped' };
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // The rows before the broken one are good: they commit, then the job fails naming the line.
    while (batches.size) if (!(await batches.commit(false, end))) return { type: 'stopped' };
    return { type: 'failed', message: describeCsvError(err, lastLineInRun, base.lines) };
  } finally {
    records.destroy();
  }
  // The last transaction (possibly of no rows) marks the checkpoint done.
  do {
    if (shouldStop()) return { type: 'stopped' };
    if (!(await batches.commit(true, end))) return { type: 'stopped' };
  } while (batches.size);
  return { type: 'done' };
}

type ParsedRecord = { record: string[]; info: { bytes: number; lines: number } };

/**
 * The parser's records, taken as it emits them. Reading the stream with `for await` loses the
 * records it has parsed but not yet handed over when it then fails on a broken row (the stream
 * is destroyed with its buffer): while a batch commits asynchronously (PostgreSQL) the rows just
 * before a broken one were dropped and the error named the wrong line. Here every record parsed
 * before the error is read first, then the error is thrown. Backpressure: the parser pauses
 * while HIGH records or HIGH_BYTES of the file wait (records may be up to 1 MB each).
 */
class RecordQueue {
  private static readonly HIGH = 10_000;
  private static readonly HIGH_BYTES = 8 * 1024 * 1024;
  private readonly pending: ParsedRecord[] = [];
  private head = 0;
  /** The parser's byte count at the last record queued and at the last one taken. */
  private queuedTo = 0;
  private takenTo = 0;
  private failure: unknown;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly parser: NodeJS.ReadableStream & { destroy(): void }) {
    parser.on('data', (r: ParsedRecord) => {
      this.pending.push(r);
      this.queuedTo = r.info.bytes;
      if (this.pending.length - this.head >= RecordQueue.HIGH || this.queuedTo - this.takenTo >= RecordQueue.HIGH_BYTES) parser.pause();
      this.wake?.();
    });
    parser.on('error', (err) => {
      this.failure = err;
      this.wake?.();
    });
    parser.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  /** The next record, undefined at the end of the file; throws the parser's error after the records before it. */
  async next(): Promise<ParsedRecord | undefined> {
    while (this.head === this.pending.length) {
      if (this.failure) throw this.failure;
      if (this.ended) return undefined;
      this.parser.resume();
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const r = this.pending[this.head++]!;
    this.takenTo = r.info.bytes;
    // Drop what was read now and then, not per record.
    if (this.head > 4096) this.pending.splice(0, this.head), (this.head = 0);
    if (this.pending.length - this.head < RecordQueue.HIGH / 2 && this.queuedTo - this.takenTo < RecordQueue.HIGH_BYTES / 2) this.parser.resume();
    return r;
  }

  destroy(): void {
    this.parser.destroy();
  }
}

/** A field the plan writes to was deleted after the import started. */
function missingFields(conn: Database.Database, plan: ImportPlan): string | null {
  const exists = conn.prepare('SELECT 1 FROM CustomField WHERE id = ?');
  for (const { field } of plan.fields) if (!exists.get(field.id)) return `The custom field "${field.label}" (custom.${field.key}) was deleted after the import started`;
  return null;
}

async function missingFieldsSql(sql: Sql, plan: ImportPlan): Promise<string | null> {
  for (const { field } of plan.fields) {
    if (!(await sql.get('SELECT 1 AS x FROM CustomField WHERE id = ?', [field.id]))) return `The custom field "${field.label}" (custom.${field.key}) was deleted after the import started`;
  }
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
