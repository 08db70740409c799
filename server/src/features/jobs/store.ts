import type { Job, JobCounts, JobKind, JobStatus } from '@switchboard/shared';
import type Database from 'better-sqlite3';
import type { Sql } from '../../db/sql.ts';
import { placeholders, stmt } from '../../lib/sql.ts';
import type { JobRecord } from './types.ts';

/** A Job row as SQL returns it (times are unix ms, JSON columns are text). */
export interface JobRow {
  id: number;
  workspaceId: number;
  kind: JobKind;
  status: JobStatus;
  title: string;
  params: string | null;
  readCount: number;
  createdCount: number;
  updatedCount: number;
  skippedCount: number;
  rejectedCount: number;
  totalCount: number | null;
  progress: number;
  checkpoint: string | null;
  inputFile: string | null;
  resultFile: string | null;
  errorFile: string | null;
  error: string | null;
  authorId: number | null;
  authorName: string | null;
  relatedJobId: number | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

const COLUMNS = `j.id, j.workspaceId, j.kind, j.status, j.title, j.params, j.readCount, j.createdCount, j.updatedCount, j.skippedCount,
  j.rejectedCount, j.totalCount, j.progress, j.checkpoint, j.inputFile, j.resultFile, j.errorFile, j.error, j.authorId,
  a.name AS authorName, j.relatedJobId, j.leaseOwner, j.leaseUntil, j.createdAt, j.startedAt, j.finishedAt`;
const FROM = 'FROM Job j LEFT JOIN Agent a ON a.id = j.authorId';
const BY_ID = `SELECT ${COLUMNS} ${FROM} WHERE j.id = ?`;

/** Statuses after which a job never runs again. */
export const finished: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'undone'];

/** The undo job's checkpoint: where it got to and which contacts it left alone. */
export interface UndoCheckpoint {
  afterChangeId: number;
  kept: number[];
}

// An undo of a huge import could keep many contacts; the wire lists the first ones.
const KEPT_ON_WIRE = 1000;

export async function loadJobRow(sql: Sql, jobId: number, workspaceId?: number): Promise<JobRow | undefined> {
  const row = await sql.get<JobRow>(BY_ID, [jobId]);
  if (!row || (workspaceId !== undefined && row.workspaceId !== workspaceId)) return undefined;
  return row;
}

export function listJobRows(sql: Sql, workspaceId: number, q: { limit: number; beforeId?: number; kind?: JobKind; status?: JobStatus }): Promise<JobRow[]> {
  // Only the filters given: PostgreSQL cannot type a parameter only compared with NULL, nor fit
  // a 'no limit' sentinel past 2^31 into an integer id.
  const where = ['j.workspaceId = ?'];
  const params: (string | number)[] = [workspaceId];
  if (q.beforeId !== undefined) {
    where.push('j.id < ?');
    params.push(q.beforeId);
  }
  if (q.kind !== undefined) {
    where.push('j.kind = ?');
    params.push(q.kind);
  }
  if (q.status !== undefined) {
    where.push('j.status = ?');
    params.push(q.status);
  }
  return sql.all<JobRow>(`SELECT ${COLUMNS} ${FROM} WHERE ${where.join(' AND ')} ORDER BY j.id DESC LIMIT ?`, [...params, q.limit]);
}

export const countsOf = (r: JobRow): JobCounts => ({
  read: r.readCount,
  created: r.createdCount,
  updated: r.updatedCount,
  skipped: r.skippedCount,
  rejected: r.rejectedCount,
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An import can be undone once it stopped for good, wrote something and has no undo under way or done. */
export function isUndoable(r: JobRow, related: JobRow | undefined): boolean {
  if (r.kind !== 'import' || !['completed', 'failed', 'cancelled'].includes(r.status)) return false;
  if (r.createdCount + r.updatedCount === 0) return false;
  return !related || related.status === 'failed' || related.status === 'cancelled';
}

export function toWireJob(r: JobRow, related?: JobRow): Job {
  const progress = finished.includes(r.status) && r.status !== 'failed' && r.status !== 'cancelled' ? 1 : Math.min(1, Math.max(0, r.progress));
  const job: Job = {
    id: String(r.id),
    kind: r.kind,
    status: r.status,
    counts: countsOf(r),
    total: r.totalCount,
    progress,
    title: r.title,
    author: r.authorId === null ? null : { id: String(r.authorId), name: r.authorName ?? '' },
    createdAt: iso(r.createdAt)!,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    error: r.error,
    hasErrors: r.errorFile !== null && r.rejectedCount > 0,
    hasDownload: r.resultFile !== null && r.status === 'completed',
    undoable: isUndoable(r, related),
    relatedJobId: r.relatedJobId === null ? null : String(r.relatedJobId),
  };
  if (r.kind === 'undo') {
    const kept = r.checkpoint ? ((JSON.parse(r.checkpoint) as Partial<UndoCheckpoint>).kept ?? []) : [];
    job.keptContactIds = kept.slice(0, KEPT_ON_WIRE).map(String);
  }
  return job;
}

/** Wire jobs for rows, with the related rows an import needs to tell whether it is undoable. */
export async function serializeJobs(sql: Sql, rows: JobRow[]): Promise<Job[]> {
  const relatedIds = [...new Set(rows.filter((r) => r.kind === 'import' && r.relatedJobId !== null).map((r) => r.relatedJobId!))];
  const related = new Map<number, JobRow>();
  if (relatedIds.length) {
    const found = await sql.all<JobRow>(`SELECT ${COLUMNS} ${FROM} WHERE j.id IN (${placeholders(relatedIds.length)})`, relatedIds);
    for (const r of found) related.set(r.id, r);
  }
  return rows.map((r) => toWireJob(r, r.relatedJobId === null ? undefined : related.get(r.relatedJobId)));
}

export async function loadWireJob(sql: Sql, jobId: number): Promise<Job | undefined> {
  const row = await loadJobRow(sql, jobId);
  return row ? (await serializeJobs(sql, [row]))[0] : undefined;
}

/** `loadWireJob` inside the import worker's synchronous better-sqlite3 transaction (SQLite only). */
export function loadWireJobSqlite(conn: Database.Database, jobId: number): Job | undefined {
  const row = stmt(conn, BY_ID).get(jobId) as JobRow | undefined;
  if (!row) return undefined;
  const related = row.kind === 'import' && row.relatedJobId !== null ? (stmt(conn, BY_ID).get(row.relatedJobId) as JobRow | undefined) : undefined;
  return toWireJob(row, related);
}

export function toRecord(r: JobRow): JobRecord {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    kind: r.kind,
    authorId: r.authorId,
    params: r.params === null ? null : JSON.parse(r.params),
    checkpoint: r.checkpoint === null ? undefined : JSON.parse(r.checkpoint),
    counts: countsOf(r),
    inputFile: r.inputFile,
  };
}
