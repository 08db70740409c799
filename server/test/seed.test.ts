import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldTypes } from '@switchboard/shared';
import { Filter, type FieldCatalogue } from '@switchboard/shared/filter/schema';
import { validateFilter } from '@switchboard/shared/filter/validate';
import { openDb, type Db } from '../src/db/client.ts';
import { copySqliteToPostgres } from '../src/db/copy-to-postgres.ts';
import { migratePostgres } from '../src/db/postgres.ts';
import { sqliteSql, type Sql, type SqlValue } from '../src/db/sql.ts';
import { migrate, openSqlite } from '../src/db/sqlite.ts';
import { verifyPassword } from '../src/features/auth/password.ts';
import { demoLogins, seedDemo, type SeedSummary } from '../src/seed/generate.ts';
import { testDatabase } from './helper.ts';
import { createTestDatabase, type TestDatabase } from './support/postgres.ts';

const now = Date.UTC(2026, 10, 28, 12, 0, 0);
const DAY = 86_400_000;
const dirs: string[] = [];

function freshDb(): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'sb-seed-'));
  dirs.push(dir);
  const file = join(dir, 'switchboard.db');
  migrate(file);
  return openSqlite(file);
}

const schemaObjects = (db: Database.Database) =>
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'table') ORDER BY name").all();

describe('seedDemo', () => {
  let db: Database.Database;
  let summary: SeedSummary;
  let schemaBefore: unknown[];
  /**
   * Where the data checks read: the seeded SQLite file itself, or on PostgreSQL a database it was
   * copied into, as a server start seeds PostgreSQL (db/prepare.ts).
   */
  let seeded: Sql;
  let pgDb: { database: TestDatabase; db: Db } | undefined;
  const all = <T>(sql: string, ...params: SqlValue[]) => seeded.all<T>(sql, params);
  const one = <T>(sql: string, ...params: SqlValue[]) => seeded.value<T>(sql, params);

  beforeAll(async () => {
    db = freshDb();
    schemaBefore = schemaObjects(db);
    summary = await seedDemo(db, { contacts: 300, conversations: 20, seed: 7, now });
    if (testDatabase === 'postgres') {
      const database = await createTestDatabase();
      await migratePostgres(database.url);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await copySqliteToPostgres(db, client);
      } finally {
        await client.end();
      }
      pgDb = { database, db: await openDb(database.url) };
      seeded = pgDb.db.sql;
    } else {
      seeded = sqliteSql(db);
    }
  }, 120_000);
  afterAll(async () => {
    db.close();
    await pgDb?.db.close();
    await pgDb?.database.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the requested rows and reports them', async () => {
    expect(summary).toMatchObject({ contacts: 300, conversations: 20, fields: 12 });
    expect(summary.tags).toBeGreaterThanOrEqual(30);
    expect(await one('SELECT count(*) FROM Workspace')).toBe(1);
    expect(await one('SELECT name FROM Workspace')).toBe('Acme Support');
    expect(await one('SELECT count(*) FROM Contact WHERE workspaceId = ?', summary.workspaceId)).toBe(300);
    expect(await one('SELECT count(*) FROM Conversation')).toBe(20);
    expect(await one('SELECT count(*) FROM Message')).toBe(summary.messages);
    expect(await one('SELECT count(*) FROM Tag')).toBe(summary.tags);
    expect(await one('SELECT count(*) FROM CustomField')).toBe(12);
    expect(await one('SELECT count(*) FROM Sequence')).toBe(5);
    expect(await one('SELECT count(*) FROM OtnTopic')).toBe(4);
    expect(await one('SELECT count(*) FROM Segment')).toBe(5);
    expect(await one('SELECT count(*) FROM ContactTag')).toBe(summary.contactTags);
    expect(await one('SELECT count(*) FROM FieldValue')).toBe(summary.fieldValues);
    // ~5 tags and most of the 12 fields per contact on average.
    expect(summary.contactTags / 300).toBeGreaterThan(3.5);
    expect(summary.contactTags / 300).toBeLessThan(6.5);
    expect(summary.fieldValues / 300).toBeGreaterThan(7);
    expect(await one('SELECT count(*) FROM Note')).toBe(summary.notes);
  });

  it('creates one login per role, all with the demo password', async () => {
    const logins = await all<{ email: string; role: string; passwordHash: string }>(
      'SELECT a.email, m.role, a.passwordHash FROM Agent a JOIN Membership m ON m.agentId = a.id WHERE m.workspaceId = ? ORDER BY a.id',
      summary.workspaceId,
    );
    expect(logins.map(({ email, role }) => ({ email, role }))).toEqual(demoLogins.map(({ email, role }) => ({ email, role })));
    expect(new Set(logins.map((l) => l.role))).toEqual(new Set(['admin', 'lead', 'supervisor', 'agent']));
    expect(await verifyPassword(logins[0]!.passwordHash, 'switchboard')).toBe(true);
  });

  it('gives contacts valid, unique and consistent profiles', async () => {
    expect(await all('SELECT channel, channelUserId FROM Contact GROUP BY 1, 2 HAVING count(*) > 1')).toEqual([]);
    expect(await one('SELECT count(DISTINCT channel) FROM Contact')).toBe(7);
    // Columns by name: PostgreSQL answers `*` in lower case.
    const contacts = await all<Record<string, string | number | null>>(
      'SELECT phone, channel, channelUserId, timezone, nameKey, firstName, lastName, email, country, version, subscribedAt, lastInteractionAt FROM Contact',
    );
    for (const c of contacts) {
      if (c.phone !== null) expect(c.phone).toMatch(/^\+[1-9]\d{6,14}$/);
      if (c.channel === 'sms' || c.channel === 'voice') expect(c.channelUserId).toBe(c.phone);
      if (c.channel === 'whatsapp') expect(`+${c.channelUserId}`).toBe(c.phone);
      if (c.timezone !== null) expect(() => new Intl.DateTimeFormat(undefined, { timeZone: String(c.timezone) })).not.toThrow();
      expect(c.nameKey).toBe(`${c.firstName ?? ''} ${c.lastName ?? ''}`.trim().toLowerCase());
      if (c.email !== null) expect(c.email).toMatch(/^[a-z0-9._+-]+@[a-z0-9.-]+\.[a-z]+$/);
      expect(c.country).toMatch(/^[A-Z]{2}$/);
      expect(c.version).toBe(1);
      const subscribedAt = Number(c.subscribedAt);
      expect(subscribedAt).toBeGreaterThan(now - 731 * DAY);
      expect(subscribedAt).toBeLessThan(now);
      if (c.lastInteractionAt !== null) {
        expect(Number(c.lastInteractionAt)).toBeGreaterThanOrEqual(subscribedAt);
        expect(Number(c.lastInteractionAt)).toBeLessThanOrEqual(now);
      }
    }
    // Phones are always there on phone channels and unique across the whole data set.
    expect(await one("SELECT count(*) FROM Contact WHERE channel IN ('sms', 'voice', 'whatsapp') AND phone IS NULL")).toBe(0);
    expect(await all('SELECT phone FROM Contact WHERE phone IS NOT NULL GROUP BY 1 HAVING count(*) > 1')).toEqual([]);
  });

  it('defines every custom field type and stores each value in its typed column', async () => {
    const fields = await all<{ id: number; key: string; type: string; options: string | null }>('SELECT id, key, type, options FROM CustomField');
    expect(new Set(fields.map((f) => f.type))).toEqual(new Set(fieldTypes));
    for (const f of fields) {
      const values = await all<{ text: string | null; textKey: string | null; number: number | null; time: number | null }>(
        'SELECT text, textKey, number, time FROM FieldValue WHERE fieldId = ?',
        f.id,
      );
      expect(values.length, f.key).toBeGreaterThan(0);
      const options = f.options === null ? null : (JSON.parse(f.options) as string[]);
      expect(options !== null, f.key).toBe(f.type === 'select');
      for (const v of values) {
        if (f.type === 'text' || f.type === 'select') {
          expect(v.textKey).toBe(v.text!.toLowerCase());
          expect([v.number, v.time]).toEqual([null, null]);
          if (options) expect(options).toContain(v.text);
        } else if (f.type === 'number' || f.type === 'boolean') {
          expect([v.text, v.time]).toEqual([null, null]);
          if (f.type === 'boolean') expect([0, 1]).toContain(v.number);
          else expect(Number.isFinite(v.number)).toBe(true);
        } else {
          expect([v.text, v.number]).toEqual([null, null]);
          expect(Number.isInteger(v.time)).toBe(true);
          // Birthdays before 1970 are negative: compare with ===, since -0 is a fine remainder.
          if (f.type === 'date') expect(v.time! % DAY === 0).toBe(true);
        }
      }
    }
  });

  it('stores segments whose filters parse and fit the workspace fields', async () => {
    const catalogue: FieldCatalogue = { custom: {} };
    for (const f of await all<{ key: string; type: string; options: string | null }>('SELECT key, type, options FROM CustomField')) {
      catalogue.custom[f.key] = {
        type: f.type as FieldCatalogue['custom'][string]['type'],
        ...(f.options ? { options: JSON.parse(f.options) as string[] } : {}),
      };
    }
    const segments = await all<{ name: string; filter: string }>('SELECT name, filter FROM Segment');
    expect(segments.map((s) => s.name)).toEqual(
      expect.arrayContaining(['VIP', 'Onboarding incomplete', 'Spanish speakers', 'Gave an email', 'Gold or platinum']),
    );
    for (const s of segments) {
      const filter: unknown = JSON.parse(s.filter);
      expect(Filter.safeParse(filter).success, s.name).toBe(true);
      expect(validateFilter(filter, catalogue), s.name).toMatchObject({ ok: true });
    }
  });

  it('builds conversations that agree with their messages and contacts', async () => {
    const conversations = await all<Record<string, number | string | null>>(
      'SELECT cv.id, cv.lastMessageAt, cv.preview, cv.status, cv.unreadCount, c.lastInteractionAt AS contactLast FROM Conversation cv JOIN Contact c ON c.id = cv.contactId',
    );
    for (const cv of conversations) {
      const messages = await all<{ direction: string; authorKind: string; agentId: number | null; body: string; createdAt: number }>(
        'SELECT direction, authorKind, agentId, body, createdAt FROM Message WHERE conversationId = ? ORDER BY createdAt, id',
        cv.id!,
      );
      expect(messages.length).toBeGreaterThanOrEqual(2);
      expect(messages.length).toBeLessThanOrEqual(12);
      messages.forEach((m, i) => {
        expect(m.direction).toBe(i % 2 === 0 ? 'in' : 'out');
        expect(m.authorKind).toBe(i % 2 === 0 ? 'contact' : 'agent');
        expect(m.agentId === null).toBe(i % 2 === 0);
      });
      const last = messages.at(-1)!;
      expect(cv.lastMessageAt).toBe(last.createdAt);
      expect(cv.preview).toBe(last.body.slice(0, 140));
      expect(['open', 'pending', 'resolved']).toContain(cv.status);
      if (cv.status !== 'open') expect(cv.unreadCount).toBe(0);
      const lastIn = Math.max(...messages.filter((m) => m.direction === 'in').map((m) => m.createdAt));
      expect(Number(cv.contactLast)).toBeGreaterThanOrEqual(lastIn);
    }
  });

  // The seeded SQLite file itself (on PostgreSQL the copy's foreign keys are checked as it inserts).
  it('leaves referential integrity, the schema and the search index intact', () => {
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(schemaObjects(db)).toEqual(schemaBefore);
    if (db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'ContactSearch'").pluck().get()) {
      expect(() => db.exec(`INSERT INTO "ContactSearch"("ContactSearch") VALUES ('integrity-check')`)).not.toThrow();
    }
  });

  it('is deterministic for a seed and reference time', async () => {
    const dump = async (seed: number) => {
      const other = freshDb();
      try {
        await seedDemo(other, { contacts: 300, conversations: 20, seed, now });
        return ['Contact', 'FieldValue', 'ContactTag', 'Note', 'Conversation', 'Message'].map((t) =>
          other.prepare(`SELECT * FROM ${t} ORDER BY rowid`).raw().all(),
        );
      } finally {
        other.close();
      }
    };
    const same = await dump(7);
    expect(same[0]).toEqual(db.prepare('SELECT * FROM Contact ORDER BY id').raw().all());
    expect(same).toEqual(await dump(7));
    expect((await dump(8))[0]).not.toEqual(same[0]);
  });

  it('writes nothing when it fails half way', async () => {
    const broken = freshDb();
    try {
      const before = schemaObjects(broken);
      broken.exec(`CREATE TRIGGER seed_test_boom AFTER INSERT ON Contact WHEN new.id > 50
        BEGIN SELECT RAISE(ABORT, 'boom'); END`);
      await expect(seedDemo(broken, { contacts: 100, conversations: 5, now })).rejects.toThrow('boom');
      broken.exec('DROP TRIGGER seed_test_boom');
      expect(broken.prepare('SELECT count(*) FROM Workspace').pluck().get()).toBe(0);
      expect(broken.prepare('SELECT count(*) FROM Agent').pluck().get()).toBe(0);
      expect(schemaObjects(broken)).toEqual(before);
    } finally {
      broken.close();
    }
  });
});
