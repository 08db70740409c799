import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/client.ts';
import { stmt } from '../../lib/sql.ts';
import type { ImportParams } from '../imports/service.ts';
import { normalizePhone } from './profile.ts';

/** What identifies an erased contact in files written before the erasure. */
export interface ErasedIdentity {
  phone: string | null;
  email: string | null;
}

/** Read inside the erasing transaction, before the row goes. */
export function erasedIdentity(db: Db, contactId: number): ErasedIdentity | undefined {
  return stmt(db.conn, 'SELECT phone, email FROM Contact WHERE id = ?').get(contactId) as ErasedIdentity | undefined;
}

/**
 * After erasures commit: the rows about the erased contacts leave the error CSVs of the
 * workspace's finished imports (a rejected row repeats the person's cells, and the file stays
 * downloadable). A row goes when its phone cell, read with the import's default country, or its
 * email cell is one of theirs. Running imports are left alone: their checkpoints point into the
 * file by byte offset. The uploaded CSVs themselves are deleted when an import ends. Returns the
 * rows removed; a file that cannot be read or rewritten is skipped, the erasure stands.
 */
export function scrubImportErrors(db: Db, workspaceId: number, erased: ErasedIdentity[]): number {
  const phones = new Set(erased.map((e) => e.phone).filter((p): p is string => Boolean(p)));
  const emails = new Set(erased.map((e) => e.email?.toLowerCase()).filter((e): e is string => Boolean(e)));
  if (!phones.size && !emails.size) return 0;
  const jobs = stmt(
    db.conn,
    `SELECT params, errorFile FROM Job WHERE workspaceId = ? AND kind = 'import' AND errorFile IS NOT NULL AND status IN ('completed', 'failed', 'cancelled', 'undone')`,
  ).all(workspaceId) as { params: string | null; errorFile: string }[];
  let removed = 0;
  for (const job of jobs) {
    const plan = job.params ? (JSON.parse(job.params) as ImportParams).plan : undefined;
    if (!plan) continue;
    const emailAt = plan.profile.find((p) => p.field === 'email')?.index;
    const theirs = (row: string[]) => {
      const phone = row[plan.phone]?.trim();
      if (phone) {
        if (phones.has(phone)) return true;
        const n = normalizePhone(phone, plan.defaultCountry);
        if ('value' in n && phones.has(n.value)) return true;
      }
      const email = emailAt === undefined ? undefined : row[emailAt]?.trim().toLowerCase();
      return Boolean(email && emails.has(email));
    };
    try {
      const rows = parse(readFileSync(job.errorFile), { bom: true, relax_column_count: true }) as string[][];
      const kept = rows.filter((row, i) => i === 0 || !theirs(row));
      if (kept.length === rows.length) continue;
      writeFileSync(`${job.errorFile}.tmp`, stringify(kept));
      renameSync(`${job.errorFile}.tmp`, job.errorFile);
      removed += rows.length - kept.length;
    } catch {
      continue;
    }
  }
  return removed;
}
