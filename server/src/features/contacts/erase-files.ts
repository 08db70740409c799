import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Sql } from '../../db/sql.ts';
import type { ImportParams } from '../imports/service.ts';
import { normalizePhone } from './profile.ts';

/** What identifies an erased contact in files written before the erasure. */
export interface ErasedIdentity {
  id: number;
  phone: string | null;
  email: string | null;
}

/** Read inside the erasing transaction (with its `sql`), before the row goes. */
export function erasedIdentity(sql: Sql, contactId: number): Promise<ErasedIdentity | undefined> {
  return sql.get<ErasedIdentity>('SELECT id, phone, email FROM Contact WHERE id = ?', [contactId]);
}

/** A row's cells that identify a contact: where its id, phone and email are, and how to read a phone. */
interface Layout {
  id?: number;
  phone?: number;
  email?: number;
  defaultCountry?: string;
}

/**
 * After erasures commit: the rows about the erased contacts leave the files the workspace's
 * finished jobs keep for download — an import's error CSV (a rejected row repeats the person's
 * cells) and an export's CSV. A row goes when its id, its phone (read with the import's default
 * country) or its email is one of theirs; an export without any of those columns cannot be
 * matched and stays. Running jobs are left alone: an import's checkpoint points into its file by
 * byte offset. Uploaded CSVs are deleted when an import ends. Returns the rows removed; a file
 * that cannot be read or rewritten is skipped, the erasure stands.
 */
export async function scrubJobFiles(sql: Sql, workspaceId: number, erased: ErasedIdentity[]): Promise<number> {
  const ids = new Set(erased.map((e) => String(e.id)));
  const phones = new Set(erased.map((e) => e.phone).filter((p): p is string => Boolean(p)));
  const emails = new Set(erased.map((e) => e.email?.toLowerCase()).filter((e): e is string => Boolean(e)));
  if (!ids.size) return 0;
  const jobs = await sql.all<{ kind: string; params: string | null; errorFile: string | null; resultFile: string | null }>(
    `SELECT kind, params, errorFile, resultFile FROM Job WHERE workspaceId = ? AND kind IN ('import', 'export')
       AND status IN ('completed', 'failed', 'cancelled', 'undone')`,
    [workspaceId],
  );
  let removed = 0;
  for (const job of jobs) {
    const params = job.params ? (JSON.parse(job.params) as Partial<ImportParams> & { columns?: string[] }) : {};
    if (job.kind === 'import' && job.errorFile && params.plan) {
      const plan = params.plan;
      removed += scrubFile(job.errorFile, false, { phone: plan.phone, email: plan.profile.find((p) => p.field === 'email')?.index, defaultCountry: plan.defaultCountry });
    } else if (job.kind === 'export' && job.resultFile && params.columns) {
      const at = (key: string) => (params.columns!.includes(key) ? params.columns!.indexOf(key) : undefined);
      removed += scrubFile(job.resultFile, true, { id: at('id'), phone: at('phone'), email: at('email') });
    }
  }
  return removed;

  function scrubFile(file: string, bom: boolean, at: Layout): number {
    if (at.id === undefined && at.phone === undefined && at.email === undefined) return 0;
    // Exports escape formulas with a leading quote ('+33 …); read the value behind it.
    const cell = (row: string[], i: number | undefined) => (i === undefined ? '' : (row[i] ?? '').replace(/^'(?=[=+\-@\t\r])/, '').trim());
    const theirs = (row: string[]) => {
      if (ids.has(cell(row, at.id))) return true;
      const phone = cell(row, at.phone);
      if (phone) {
        if (phones.has(phone)) return true;
        const n = normalizePhone(phone, at.defaultCountry);
        if ('value' in n && phones.has(n.value)) return true;
      }
      const email = cell(row, at.email).toLowerCase();
      return Boolean(email && emails.has(email));
    };
    try {
      const rows = parse(readFileSync(file), { bom: true, relax_column_count: true }) as string[][];
      const kept = rows.filter((row, i) => i === 0 || !theirs(row));
      if (kept.length === rows.length) return 0;
      writeFileSync(`${file}.tmp`, stringify(kept, { bom }));
      renameSync(`${file}.tmp`, file);
      return rows.length - kept.length;
    } catch {
      return 0;
    }
  }
}
