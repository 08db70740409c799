import type Database from 'better-sqlite3';
import { fold } from '@switchboard/shared/filter/fold';
import { displayName } from '../contacts/profile.ts';
import type { StoredValue } from '../contacts/values.ts';
import type { ProfileColumn } from './plan.ts';
import type { ImportRow } from './row.ts';

const PROFILE: readonly ProfileColumn[] = ['firstName', 'lastName', 'email', 'gender', 'language', 'timezone', 'country'];

type Existing = { id: number; version: number; importJobId: number | null } & Record<ProfileColumn, string | null>;
type StoredRow = [text: string | null, textKey: string | null, number: number | null, time: number | null];

/**
 * What an import overwrote on a contact that existed before it, so undo can put it back:
 * profile values (`p`), custom field rows by field id (`f`, null = had none) and the tags it
 * added (`t`). Only the first value the import replaced is kept.
 */
export interface Before {
  p?: Partial<Record<ProfileColumn, string | null>>;
  f?: Record<string, StoredRow | null>;
  t?: number[];
}

export interface BatchResult {
  created: number;
  updated: number;
  skipped: number;
  /** Contacts created or changed, for the batch's summary broadcast. */
  changedIds: number[];
}

export interface WriterOptions {
  workspaceId: number;
  jobId: number;
  authorId: number | null;
  channel: 'sms' | 'voice';
  onExisting: 'skip' | 'update' | 'fillEmpty';
}

const storedRow = (s: StoredValue): StoredRow => [s.text, s.textKey, s.number, s.time];
const sameStored = (a: StoredRow, b: StoredRow) => a[0] === b[0] && a[2] === b[2] && a[3] === b[3];

/**
 * Applies validated rows to the database with prepared statements on one connection, inside
 * the caller's transaction. Contacts are matched by phone within the channel (an SMS or voice
 * contact's number is its channel user id). A later row for a contact this import created
 * merges into it (later non-empty values win, tags add up); one for a contact that existed before
 * follows `onExisting`. Every change is recorded in JobContactChange for undo and audited once
 * per contact and row.
 */
export class ImportWriter {
  private readonly s;
  private readonly tagIds = new Map<string, number>();

  constructor(
    private readonly conn: Database.Database,
    private readonly o: WriterOptions,
  ) {
    const p = (sql: string) => {
      const st = conn.prepare(sql);
      if (st.reader) st.safeIntegers(false);
      return st;
    };
    this.s = {
      find: p(`SELECT id, version, importJobId, ${PROFILE.map((f) => `"${f}"`).join(', ')} FROM Contact WHERE workspaceId = ? AND channel = ? AND channelUserId = ?`),
      insert: p(
        `INSERT INTO Contact (workspaceId, channel, channelUserId, phone, ${PROFILE.map((f) => `"${f}"`).join(', ')}, nameKey, subscribedAt, createdAt, updatedAt, version, importJobId)
         VALUES (?, ?, ?, ?, ${PROFILE.map(() => '?').join(', ')}, ?, ?, ?, ?, 1, ?)`,
      ),
      updateProfile: p(
        `UPDATE Contact SET ${PROFILE.map((f) => `"${f}" = ?`).join(', ')}, nameKey = ?, version = version + 1, updatedAt = ? WHERE id = ? RETURNING version`,
      ),
      bump: p('UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id = ? RETURNING version'),
      tagsOf: p('SELECT tagId FROM ContactTag WHERE contactId = ?').pluck(),
      addTag: p('INSERT OR IGNORE INTO ContactTag (contactId, tagId, createdAt) VALUES (?, ?, ?)'),
      allTags: p('SELECT id, name FROM Tag WHERE workspaceId = ?'),
      newTag: p('INSERT INTO Tag (workspaceId, name, createdAt) VALUES (?, ?, ?)'),
      valuesOf: p('SELECT fieldId, text, textKey, number, time FROM FieldValue WHERE contactId = ?'),
      setValue: p(
        `INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (contactId, fieldId) DO UPDATE SET text = excluded.text, textKey = excluded.textKey, number = excluded.number, time = excluded.time, updatedAt = excluded.updatedAt`,
      ),
      changeOf: p('SELECT id, before FROM JobContactChange WHERE contactId = ? AND jobId = ?'),
      addChange: p('INSERT INTO JobContactChange (jobId, contactId, kind, before, version) VALUES (?, ?, ?, ?, ?)'),
      setChange: p('UPDATE JobContactChange SET before = ?, version = ? WHERE id = ?'),
      setChangeVersion: p('UPDATE JobContactChange SET version = ? WHERE jobId = ? AND contactId = ?'),
      audit: p(`INSERT INTO AuditEvent (workspaceId, actorKind, actorId, contactId, action, changes, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      index: p(`INSERT INTO ContactSearch (rowid, nameKey, email, phone) SELECT id, nameKey, email, phone FROM Contact WHERE id IN (SELECT value FROM json_each(?))`),
    };
    // Tag names are unique per workspace regardless of case: one map of folded name → id.
    for (const t of this.s.allTags.all(o.workspaceId) as { id: number; name: string }[]) this.tagIds.set(fold(t.name), t.id);
  }

  /**
   * Contacts created since the last `flushIndex`: the search trigger skips rows inserted with an
   * importJobId (migration contact_search_bulk_import), so they are indexed here in one statement.
   */
  private unindexed = new Set<number>();

  /** Applies one batch; the caller holds the transaction. */
  apply(rows: ImportRow[], now: number): BatchResult {
    const result: BatchResult = { created: 0, updated: 0, skipped: 0, changedIds: [] };
    for (const row of rows) {
      const { outcome, contactId } = this.applyOne(row, now);
      result[outcome]++;
      if (outcome !== 'skipped') result.changedIds.push(contactId);
    }
    this.flushIndex();
    return result;
  }

  /** Adds the contacts created since the last call to the search index; call before the transaction commits. */
  flushIndex(): void {
    if (!this.unindexed.size) return;
    this.s.index.run(JSON.stringify([...this.unindexed]));
    this.unindexed.clear();
  }

  /** One row: what happened to its contact. Call `flushIndex` before committing. */
  applyOne(row: ImportRow, now: number): { outcome: 'created' | 'updated' | 'skipped'; contactId: number } {
    const existing = this.s.find.get(this.o.workspaceId, this.o.channel, row.phone) as Existing | undefined;
    if (!existing) return { outcome: 'created', contactId: this.create(row, now) };
    // The update trigger replaces the contact's index entry, which must exist first.
    if (this.unindexed.has(existing.id)) this.flushIndex();
    const outcome =
      existing.importJobId === this.o.jobId
        ? this.merge(existing, row, 'update', now, false)
        : this.o.onExisting === 'skip'
          ? 'skipped'
          : this.merge(existing, row, this.o.onExisting, now, true);
    return { outcome, contactId: existing.id };
  }

  private create(row: ImportRow, now: number): number {
    const o = this.o;
    const values = PROFILE.map((f) => row.profile[f] ?? null);
    const info = this.s.insert.run(
      o.workspaceId,
      o.channel,
      row.phone,
      row.phone,
      ...values,
      fold(displayName(row.profile.firstName ?? null, row.profile.lastName ?? null)),
      now,
      now,
      now,
      o.jobId,
    );
    const id = Number(info.lastInsertRowid);
    this.unindexed.add(id);
    for (const name of row.tags) this.s.addTag.run(id, this.tagId(name, now), now);
    for (const { field, stored } of row.fields) this.s.setValue.run(id, field.id, stored.text, stored.textKey, stored.number, stored.time, now);
    this.s.addChange.run(o.jobId, id, 'created', null, 1);
    this.audit(id, 'contact.created', { importJobId: String(o.jobId), channel: o.channel, phone: row.phone }, now);
    return id;
  }

  /**
   * Changes an existing contact by the row: `update` writes every non-empty value that differs,
   * `fillEmpty` only values the contact lacks; tags are added either way. `record` keeps what was
   * overwritten (a contact from before the import); a contact the import created needs none.
   */
  private merge(c: Existing, row: ImportRow, mode: 'update' | 'fillEmpty', now: number, record: boolean): 'updated' | 'skipped' {
    const before: Before = {};
    const paths: string[] = [];
    const next = { ...c };
    for (const f of PROFILE) {
      const v = row.profile[f];
      if (v === undefined || v === c[f] || (mode === 'fillEmpty' && c[f] !== null)) continue;
      (before.p ??= {})[f] = c[f];
      next[f] = v;
      paths.push(f);
    }
    let current: Map<number, StoredRow> | undefined;
    const setValues: [number, StoredRow][] = [];
    if (row.fields.length) {
      current = new Map(
        (this.s.valuesOf.all(c.id) as { fieldId: number; text: string | null; textKey: string | null; number: number | null; time: number | null }[]).map((v) => [
          v.fieldId,
          [v.text, v.textKey, v.number, v.time] as StoredRow,
        ]),
      );
      for (const { field, stored } of row.fields) {
        const was = current.get(field.id) ?? null;
        const to = storedRow(stored);
        if (was && (mode === 'fillEmpty' || sameStored(was, to))) continue;
        (before.f ??= {})[field.id] = was;
        setValues.push([field.id, to]);
        paths.push(`custom.${field.key}`);
      }
    }
    const addTags: number[] = [];
    if (row.tags.length) {
      const has = new Set(this.s.tagsOf.all(c.id) as number[]);
      for (const name of row.tags) {
        const id = this.tagId(name, now);
        if (has.has(id) || addTags.includes(id)) continue;
        addTags.push(id);
      }
      if (addTags.length) {
        before.t = addTags;
        paths.push('tags');
      }
    }
    if (!paths.length) return 'skipped';

    let version: number;
    if (before.p) {
      const r = this.s.updateProfile.get(...PROFILE.map((f) => next[f]), fold(displayName(next.firstName, next.lastName)), now, c.id) as { version: number };
      version = r.version;
    } else {
      version = (this.s.bump.get(now, c.id) as { version: number }).version;
    }
    for (const [fieldId, v] of setValues) this.s.setValue.run(c.id, fieldId, v[0], v[1], v[2], v[3], now);
    for (const tagId of addTags) this.s.addTag.run(c.id, tagId, now);

    if (!record) {
      this.s.setChangeVersion.run(version, this.o.jobId, c.id);
      return 'updated';
    }
    const prior = this.s.changeOf.get(c.id, this.o.jobId) as { id: number; before: string | null } | undefined;
    if (prior) {
      // A second row for the same contact: what it overwrites now is the first row's value, not the original.
      const first = (prior.before ? JSON.parse(prior.before) : {}) as Before;
      const merged: Before = {
        p: { ...before.p, ...first.p },
        f: { ...before.f, ...first.f },
        t: [...new Set([...(first.t ?? []), ...(before.t ?? [])])],
      };
      this.s.setChange.run(JSON.stringify(merged), version, prior.id);
    } else {
      this.s.addChange.run(this.o.jobId, c.id, 'updated', JSON.stringify(before), version);
    }
    this.audit(c.id, 'contact.imported', { importJobId: String(this.o.jobId), changed: paths }, now);
    return 'updated';
  }

  /** The id of a tag by name (any case), creating an unknown one. */
  private tagId(name: string, now: number): number {
    const key = fold(name);
    let id = this.tagIds.get(key);
    if (id === undefined) {
      id = Number(this.s.newTag.run(this.o.workspaceId, name, now).lastInsertRowid);
      this.tagIds.set(key, id);
      this.audit(null, 'tag.created', { id, name, importJobId: String(this.o.jobId) }, now);
    }
    return id;
  }

  private audit(contactId: number | null, action: string, changes: object, now: number): void {
    const actor = this.o.authorId === null ? ['system', null] : ['agent', this.o.authorId];
    this.s.audit.run(this.o.workspaceId, actor[0], actor[1], contactId, action, JSON.stringify(changes), now);
  }

  /** A rolled-back batch may have created tags the map still holds, and contacts that no longer exist: forget them. */
  reset(): void {
    this.unindexed.clear();
    this.tagIds.clear();
    for (const t of this.s.allTags.all(this.o.workspaceId) as { id: number; name: string }[]) this.tagIds.set(fold(t.name), t.id);
  }
}
