// The ratio's baseline: the same rows, parsed and validated beforehand (not timed), inserted into
// the same schema (migrated, triggers and all) by a bare better-sqlite3 loop: contact, its tags,
// its five field values, batch by batch in transactions. No lookups, no audit, no undo records,
// no checkpoints, no events: what the database itself costs. `index: 'bulk'` fills the search
// index as the import does (importJobId set, one INSERT … SELECT per batch); `'trigger'` leaves it
// to the row-by-row trigger every other writer uses.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { fold } from '@switchboard/shared/filter/fold';
import { migrate, openSqlite } from '../../server/src/db/sqlite.ts';
import { displayName } from '../../server/src/features/contacts/profile.ts';
import { csvOptions } from '../../server/src/features/imports/csv.ts';
import { buildPlan } from '../../server/src/features/imports/plan.ts';
import { rowValidator, type ImportRow } from '../../server/src/features/imports/row.ts';
import type { Catalogue, FieldDef } from '../../server/src/features/catalogue/service.ts';
import { FIELDS, HEADER, MAPPING } from './generate.ts';

const PROFILE = ['firstName', 'lastName', 'email', 'gender', 'language', 'timezone', 'country'] as const;

/** Parses and validates the whole file into memory the way the import does (not part of the timing). */
export async function preparse(file: string): Promise<ImportRow[]> {
  const defs: FieldDef[] = FIELDS.map((f, i) => ({ id: i + 1, key: f.key, label: f.label, type: f.type, options: 'options' in f ? [...f.options] : undefined, position: i }));
  const catalogue = { byKey: new Map(defs.map((d) => [d.key, d])), byId: new Map(defs.map((d) => [d.id, d])) } as Catalogue;
  const plan = buildPlan(HEADER, catalogue, { mapping: MAPPING as never, channel: 'sms', defaultCountry: 'FR', onExisting: 'skip' });
  const validate = rowValidator(plan);
  const rows: ImportRow[] = [];
  let header = true;
  for await (const { record } of createReadStream(file).pipe(parse({ ...csvOptions, bom: true })) as AsyncIterable<{ record: string[] }>) {
    if (header) {
      header = false;
      continue;
    }
    const r = validate(record);
    if (r.ok) rows.push(r.row);
  }
  return rows;
}

export interface BareResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** CPU time of the loop per row, µs. */
  cpuUsPerRow: number;
  batch: number;
  index: 'bulk' | 'trigger';
}

/** Inserts the rows into a fresh migrated database; times the insert loop only. */
export function bareInsert(rows: ImportRow[], batch: number, index: 'bulk' | 'trigger' = 'bulk'): BareResult {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-bare-'));
  const file = join(dir, 'bare.db');
  try {
    migrate(file);
    const db = openSqlite(file);
    db.pragma('cache_size = -32768');
    // As the import's connection: statement journals in memory, not in a temp file.
    db.pragma('temp_store = MEMORY');
    const now = Date.now();
    const ws = Number(db.prepare(`INSERT INTO Workspace (name, createdAt, updatedAt) VALUES ('bare', ?, ?)`).run(now, now).lastInsertRowid);
    const fieldIds = new Map<string, number>();
    for (const [i, f] of FIELDS.entries()) {
      const info = db.prepare('INSERT INTO CustomField (workspaceId, key, label, type, options, position, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(ws, f.key, f.label, f.type, 'options' in f ? JSON.stringify(f.options) : null, i, now, now);
      fieldIds.set(f.key, Number(info.lastInsertRowid));
    }
    const tagIds = new Map<string, number>();
    const insertContact = db.prepare(
      `INSERT INTO Contact (workspaceId, channel, channelUserId, phone, ${PROFILE.map((p) => `"${p}"`).join(', ')}, nameKey, subscribedAt, createdAt, updatedAt, version, importJobId)
       VALUES (?, 'sms', ?, ?, ${PROFILE.map(() => '?').join(', ')}, ?, ?, ?, ?, 1, ?)`,
    );
    const indexBatch = db.prepare('INSERT INTO ContactSearch (rowid, nameKey, email, phone) SELECT id, nameKey, email, phone FROM Contact WHERE id > ? AND importJobId = 1');
    const importJobId = index === 'bulk' ? 1 : null;
    const insertTag = db.prepare('INSERT INTO Tag (workspaceId, name, createdAt) VALUES (?, ?, ?)');
    const insertContactTag = db.prepare('INSERT OR IGNORE INTO ContactTag (contactId, tagId, createdAt) VALUES (?, ?, ?)');
    const insertValue = db.prepare('INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let lastId = 0;
    for (let start = 0; start < rows.length; start += batch) {
      db.exec('BEGIN IMMEDIATE');
      const at = Date.now();
      const firstNew = lastId;
      for (let i = start; i < Math.min(rows.length, start + batch); i++) {
        const r = rows[i]!;
        const id = Number(
          insertContact.run(ws, r.phone, r.phone, ...PROFILE.map((p) => r.profile[p] ?? null), fold(displayName(r.profile.firstName ?? null, r.profile.lastName ?? null)), at, at, at, importJobId).lastInsertRowid,
        );
        lastId = id;
        for (const name of r.tags) {
          const key = fold(name);
          let tagId = tagIds.get(key);
          if (tagId === undefined) tagIds.set(key, (tagId = Number(insertTag.run(ws, name, at).lastInsertRowid)));
          insertContactTag.run(id, tagId, at);
        }
        for (const { field, stored } of r.fields) insertValue.run(id, fieldIds.get(field.key)!, stored.text, stored.textKey, stored.number, stored.time, at);
      }
      if (index === 'bulk') indexBatch.run(firstNew);
      db.exec('COMMIT');
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    db.close();
    return { rows: rows.length, seconds, rowsPerSecond: rows.length / seconds, cpuUsPerRow: (cpu.user + cpu.system) / rows.length, batch, index };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
