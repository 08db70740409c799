import { closeSync, existsSync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { loadCatalogue } from '../catalogue/service.ts';
import { selectionWhere, type Selection } from '../contacts/selection.ts';
import { CONTACT_COLUMNS, serializeContacts, type ContactRow } from '../contacts/serialize.ts';
import type { JobContext } from '../jobs/types.ts';
import { checkColumns, toRow, type Cell } from './columns.ts';

/** What the export route stores as the job's params: the selection and the resolved columns. */
export interface ExportParams extends Selection {
  columns: string[];
}

/**
 * Resume point, saved with each batch: contacts up to `afterId` are in the file, which is then
 * exactly `bytes` long; `now` pins relative dates of the filter for the whole export.
 */
interface Checkpoint {
  now: number;
  afterId: number;
  bytes: number;
}

const BATCH = 500;

/**
 * `escape_formulas` prefixes `'` to text cells starting with = + - @ tab or CR (and their
 * full-width forms), so a spreadsheet shows them instead of running them (OWASP CSV injection).
 * Numbers are left alone: -5 in a number field is a number, not a formula.
 */
const csv = (rows: Cell[][], bom = false) => Buffer.from(stringify(rows, { escape_formulas: true, bom }), 'utf8');

/**
 * Streams the selected contacts to DATA_DIR/jobs/<id>/export.csv in id order, 500 per batch, each
 * batch read and written inside one transaction that also stores the checkpoint. After a crash it
 * continues: the file is cut back to the checkpointed length (dropping a batch written but not
 * committed) and the export goes on after the last committed id. A file shorter than the
 * checkpoint (lost with the machine) is started again from the header.
 */
export async function exportJob(ctx: JobContext): Promise<void> {
  const { db, job } = ctx;
  const params = job.params as ExportParams;
  const catalogue = await loadCatalogue(db.sql, job.workspaceId);
  // Checked again at run time: a field may have been deleted while the job was queued.
  const columns = checkColumns(params.columns, catalogue);
  const path = ctx.file('export.csv');
  let cp = job.checkpoint as Checkpoint | undefined;
  if (cp && !(existsSync(path) && statSync(path).size >= cp.bytes)) cp = undefined;

  const fd = openSync(path, cp ? 'r+' : 'w');
  try {
    if (cp) ftruncateSync(fd, cp.bytes);
    const now = cp?.now ?? Date.now();
    const where = await selectionWhere(db.sql, job.workspaceId, params, catalogue, now);
    const filtered = `FROM Contact c WHERE c.workspaceId = ? AND (${where.sql})`;

    if (!cp) {
      await db.tx(async (_tx, sql) => {
        const header = csv([columns], true);
        writeSync(fd, header, 0, header.length, 0);
        const total = (await sql.value<number>(`SELECT count(*) ${filtered}`, [job.workspaceId, ...where.params]))!;
        // Restarting a lost file counts from zero again.
        await ctx.commitBatch(sql, { read: -job.counts.read }, (cp = { now, afterId: 0, bytes: header.length }), { total });
      });
      ctx.reportProgress();
    }

    const page = `SELECT ${CONTACT_COLUMNS} ${filtered} AND c.id > ? ORDER BY c.id LIMIT ${BATCH}`;
    for (;;) {
      if (ctx.signal.aborted) return;
      const done = await db.tx(async (_tx, sql) => {
        const rows = await sql.all<ContactRow>(page, [job.workspaceId, ...where.params, cp!.afterId]);
        if (!rows.length) return true;
        const chunk = csv((await serializeContacts(sql, catalogue, rows)).map((c) => toRow(c, columns)));
        writeSync(fd, chunk, 0, chunk.length, cp!.bytes);
        cp = { now, afterId: rows.at(-1)!.id, bytes: cp!.bytes + chunk.length };
        await ctx.commitBatch(sql, { read: rows.length }, cp);
        return rows.length < BATCH;
      });
      ctx.reportProgress();
      if (done) break;
    }
  } finally {
    closeSync(fd);
  }
  ctx.setFiles({ resultFile: path });
}
