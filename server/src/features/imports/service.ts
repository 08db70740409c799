import { rmSync } from 'node:fs';
import { MAX_CUSTOM_FIELDS, type DryRunResult, type ImportUpload } from '@switchboard/shared';
import type { Db, Tx } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { loadCatalogue } from '../catalogue/service.ts';
import { wireValue } from '../contacts/values.ts';
import type { JobRunner } from '../jobs/runner.ts';
import { isUndoable, loadJobRow, type JobRow } from '../jobs/store.ts';
import { readHead, suggestMapping } from './head.ts';
import { buildPlan, type ImportPlan, type StartBody } from './plan.ts';
import { rowValidator, type ImportRow } from './row.ts';
import { formatSize, type Upload } from './upload.ts';
import { ImportWriter, type WriterOptions } from './writer.ts';
import { PgImportWriter } from './writer-pg.ts';

/** An import job's params: the upload's facts, then (once started) the request and its plan. */
export interface ImportParams {
  fileName: string;
  size: number;
  columns: string[];
  request?: Omit<StartBody, 'dryRun'>;
  plan?: ImportPlan;
}

/** The uploaded file becomes a draft import: its header and first rows, a suggested mapping, nothing written to contacts. */
export async function createDraft(db: Db, jobs: JobRunner, workspaceId: number, agentId: number, upload: Upload): Promise<ImportUpload> {
  let head;
  try {
    head = await readHead(upload.path);
  } catch (err) {
    rmSync(upload.path, { force: true });
    throw err;
  }
  const params: ImportParams = { fileName: upload.fileName, size: upload.size, columns: head.columns };
  const jobId = await jobs.create({
    workspaceId,
    kind: 'import',
    authorId: agentId,
    params,
    title: `${upload.fileName} (${formatSize(upload.size)})`,
    status: 'draft',
    inputFile: upload.path,
  });
  return {
    jobId: String(jobId),
    columns: head.columns,
    suggestedMapping: suggestMapping(head.columns, await loadCatalogue(db.sql, workspaceId)),
    preview: head.rows.map((r) => r.cells),
  };
}

async function draftOf(sql: Sql, workspaceId: number, jobId: number): Promise<{ row: JobRow; params: ImportParams }> {
  const row = await loadJobRow(sql, jobId, workspaceId);
  if (!row || row.kind !== 'import') throw notFound('Import');
  if (row.status !== 'draft') throw conflict(`This import is already ${row.status}; upload the file again to run another import`, { path: 'jobId', status: row.status });
  return { row, params: JSON.parse(row.params!) as ImportParams };
}

/**
 * Inside a transaction: creates the fields the request asks for (after the whole request proved
 * valid) and returns the plan with their ids.
 */
async function prepare(tx: Tx, sql: Sql, workspaceId: number, actor: Actor, columns: string[], body: StartBody): Promise<ImportPlan> {
  const catalogue = await loadCatalogue(sql, workspaceId);
  buildPlan(columns, catalogue, body);
  const ids = new Map<string, number>();
  const existing = (await sql.value<number>('SELECT count(*) AS n FROM CustomField WHERE workspaceId = ?', [workspaceId]))!;
  const adding = body.createFields?.length ?? 0;
  if (adding && existing + adding > MAX_CUSTOM_FIELDS) {
    throw conflict(`A workspace can have at most ${MAX_CUSTOM_FIELDS} custom fields; it has ${existing} and the import would add ${adding}`, { path: 'createFields', limit: MAX_CUSTOM_FIELDS });
  }
  let position = existing * 10;
  for (const f of body.createFields ?? []) {
    const created = await tx.customField.create({ data: { workspaceId, key: f.key, label: f.label, type: f.type, position } });
    position += 10;
    await recordAudit(tx, { workspaceId, actor, action: 'field.created', changes: { id: created.id, key: f.key, label: f.label, type: f.type, fromColumn: f.column } });
    ids.set(f.key, created.id);
  }
  return buildPlan(columns, catalogue, body, ids);
}

class DryRunDone extends Error {
  constructor(readonly result: DryRunResult) {
    super('dry run');
  }
}

/**
 * One row at a time through the writer the import itself uses: SQLite's synchronous one on the
 * connection the transaction holds, PostgreSQL's set-based one with a batch of one row.
 */
async function rowWriter(db: Db, sql: Sql, options: WriterOptions, now: number) {
  if (db.kind === 'postgres') {
    const writer = new PgImportWriter(options);
    await writer.init(sql);
    const apply = async (row: ImportRow): Promise<'created' | 'updated' | 'skipped'> => {
      const r = await writer.apply(sql, [row], now);
      return r.created ? 'created' : r.updated ? 'updated' : 'skipped';
    };
    return Object.assign(apply, { done: async () => undefined });
  }
  const writer = new ImportWriter(db.conn, options);
  const apply = async (row: ImportRow) => writer.applyOne(row, now).outcome;
  return Object.assign(apply, { done: async () => writer.flushIndex() });
}

/**
 * The first 20 rows, validated and applied exactly as the run would (the same writer, in-file
 * merges included) inside a transaction that is then rolled back: nothing is written.
 */
async function dryRun(db: Db, workspaceId: number, actor: Actor, row: JobRow, params: ImportParams, body: StartBody): Promise<DryRunResult> {
  const head = await readHead(row.inputFile!, 20);
  try {
    await db.tx(async (tx, sql) => {
      const plan = await prepare(tx, sql, workspaceId, actor, params.columns, body);
      const validate = rowValidator(plan);
      const options = { workspaceId, jobId: row.id, authorId: row.authorId, channel: plan.channel, onExisting: plan.onExisting };
      const now = Date.now();
      const rows: DryRunResult['rows'] = [];
      // The import's own writer, row by row so each row's action shows (the transaction is rolled back).
      const apply = await rowWriter(db, sql, options, now);
      for (const { line, cells } of head.rows) {
        const r = validate(cells);
        if (!r.ok) {
          rows.push({ line, action: 'reject', errors: r.errors, values: {} });
          continue;
        }
        const outcome = await apply(r.row);
        rows.push({ line, action: outcome === 'created' ? 'create' : outcome === 'updated' ? 'update' : 'skip', errors: [], values: wireRow(r.row) });
      }
      await apply.done();
      throw new DryRunDone({ rows });
    });
  } catch (err) {
    if (err instanceof DryRunDone) return err.result;
    throw err;
  }
  throw new Error('unreachable');
}

function wireRow(row: ImportRow): Record<string, unknown> {
  const values: Record<string, unknown> = { phone: row.phone, ...row.profile };
  if (row.tags.length) values.tags = row.tags;
  for (const { field, stored } of row.fields) values[`custom.${field.key}`] = wireValue({ ...field, options: field.options, position: 0 }, stored);
  return values;
}

/** Dry run (200, per-row results) or the real start: fields created, the job queued with its plan (202). */
export async function startImport(
  db: Db,
  gateway: Gateway,
  jobs: JobRunner,
  workspaceId: number,
  actor: Actor,
  jobId: number,
  body: StartBody,
): Promise<{ dryRun: DryRunResult } | { jobId: string }> {
  const { row, params } = await draftOf(db.sql, workspaceId, jobId);
  if (body.dryRun) return { dryRun: await dryRun(db, workspaceId, actor, row, params, body) };
  const outbox = gateway.outbox();
  await db.tx(async (tx, sql) => {
    const plan = await prepare(tx, sql, workspaceId, actor, params.columns, body);
    const { dryRun: _dry, ...request } = body;
    await jobs.queueInTx(sql, outbox, jobId, { ...params, request, plan } satisfies ImportParams);
    await recordAudit(tx, { workspaceId, actor, action: 'import.started', changes: { jobId, ...request } });
  });
  gateway.publish(outbox);
  jobs.wake();
  return { jobId: String(jobId) };
}

function whyNotUndoable(row: JobRow, related: JobRow | undefined): string {
  if (row.status === 'undone') return 'This import has already been undone';
  if (related && !['failed', 'cancelled'].includes(related.status)) return 'An undo of this import is already under way';
  if (['draft', 'queued', 'running'].includes(row.status)) return `This import is ${row.status}; cancel it or wait for it to finish first`;
  return 'This import created or changed no contacts: there is nothing to undo';
}

/** Queues an undo job for a finished import (202). */
export async function requestUndo(db: Db, gateway: Gateway, jobs: JobRunner, workspaceId: number, actor: Actor & { kind: 'agent' }, jobId: number): Promise<{ jobId: string }> {
  const outbox = gateway.outbox();
  const undoId = await db.tx(async (tx, sql) => {
    const row = await loadJobRow(sql, jobId, workspaceId);
    if (!row || row.kind !== 'import') throw notFound('Import');
    const related = row.relatedJobId === null ? undefined : await loadJobRow(sql, row.relatedJobId);
    if (!isUndoable(row, related)) throw conflict(whyNotUndoable(row, related), { path: 'jobId', status: row.status });
    const total = (await sql.value<number>('SELECT count(*) AS n FROM JobContactChange WHERE jobId = ?', [jobId]))!;
    const id = await jobs.createInTx(tx, sql, outbox, { workspaceId, kind: 'undo', authorId: actor.id, params: { importJobId: jobId }, title: `Undo ${row.title}`, total, relatedJobId: jobId });
    await sql.run('UPDATE Job SET relatedJobId = ?, updatedAt = ? WHERE id = ?', [id, new Date(), jobId]);
    await recordAudit(tx, { workspaceId, actor, action: 'import.undo_requested', changes: { jobId, undoJobId: id } });
    await jobs.push(sql, outbox, jobId);
    return id;
  });
  gateway.publish(outbox);
  jobs.wake();
  return { jobId: String(undoId) };
}
