import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../src/db/migrations-runner.mjs';
import { migrationsDir } from '../src/db/sqlite.ts';
import { searchContacts } from '../src/features/search/service.ts';
import { newContact, newWorkspace } from './factories.ts';
import { setupApp, testDatabase, type TestApp } from './helper.ts';

let t: TestApp;
let ws: number;
beforeAll(async () => {
  t = await setupApp();
  ws = (await newWorkspace(t.db)).id;
});
afterAll(() => t.close());

const search = (q: string, workspaceId = ws, where?: { sql: string; params: (string | number)[] }) =>
  searchContacts(t.db, workspaceId, q, { limit: 10, where }).then((r) => r.ids);

/**
 * FTS5 compares the index with Contact and throws when they differ. PostgreSQL's trigram
 * indexes are expression indexes PostgreSQL maintains itself: nothing can drift.
 */
const assertIndexInStep = () => {
  if (testDatabase === 'sqlite') t.db.conn.exec(`INSERT INTO "ContactSearch"("ContactSearch", rank) VALUES ('integrity-check', 1)`);
};

let uid = 0;
async function insertRaw(attrs: { workspaceId: number; first: string; last: string; email?: string; phone?: string }): Promise<number> {
  const now = new Date();
  const id = await t.db.sql.value<number>(
    `INSERT INTO Contact (workspaceId, channel, channelUserId, firstName, lastName, nameKey, email, phone, createdAt, updatedAt)
      VALUES (?, 'webchat', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [attrs.workspaceId, `raw-${++uid}`, attrs.first, attrs.last, `${attrs.first} ${attrs.last}`.toLowerCase(), attrs.email ?? null, attrs.phone ?? null, now, now],
  );
  return id!;
}

describe('search index', () => {
  it('follows raw SQL inserts, updates and deletes', async () => {
    const id = await insertRaw({ workspaceId: ws, first: 'Ottoline', last: 'Quarrington', email: 'oq@example.test', phone: '+447700900123' });
    expect(await search('quarrington')).toEqual([id]);
    expect(await search('07700 900123')).toEqual([id]);

    await t.db.sql.run(`UPDATE Contact SET lastName = 'Wetherspoon', nameKey = 'ottoline wetherspoon', email = NULL WHERE id = ?`, [id]);
    expect(await search('quarrington')).toEqual([]);
    expect(await search('oq@example')).toEqual([]);
    expect(await search('wetherspoon')).toEqual([id]);
    // Columns outside the index leave it alone.
    await t.db.sql.run('UPDATE Contact SET version = version + 1, country = ? WHERE id = ?', ['GB', id]);
    expect(await search('wetherspoon')).toEqual([id]);
    // An upsert that hits the existing row goes through the update trigger.
    await t.db.sql.run(
      `INSERT INTO Contact (id, workspaceId, channel, channelUserId, nameKey, createdAt, updatedAt)
      VALUES (?, ?, 'webchat', 'x', '', ?, ?) ON CONFLICT(id) DO UPDATE SET email = 'ottoline@upsert.test'`,
      [id, ws, new Date(0), new Date(0)],
    );
    expect(await search('ottoline@upsert')).toEqual([id]);

    await t.db.sql.run('DELETE FROM Contact WHERE id = ?', [id]);
    expect(await search('wetherspoon')).toEqual([]);
    assertIndexInStep();
  });

  it('follows Prisma creates, updates, deletes and workspace cascades', async () => {
    const other = (await newWorkspace(t.db)).id;
    const c = await newContact(t.db, { workspaceId: other, firstName: 'Zoë', lastName: 'Krasnapolsky', email: 'zk@oldmail.test' });
    expect(await search('krasnapolsky', other)).toEqual([c.id]);
    expect(await search('oldmail', other)).toEqual([c.id]);
    // Typed without the accent.
    expect(await search('zoe kras', other)).toEqual([c.id]);

    await t.db.prisma.contact.update({ where: { id: c.id }, data: { email: 'zoe@new.example', phone: '+33612345678' } });
    expect(await search('oldmail', other)).toEqual([]);
    expect(await search('zoe@new', other)).toEqual([c.id]);
    expect(await search('06 12 34 56 78', other)).toEqual([c.id]);

    await t.db.prisma.contact.delete({ where: { id: c.id } });
    expect(await search('krasnapolsky', other)).toEqual([]);

    const d = await newContact(t.db, { workspaceId: other, firstName: 'Cascade', lastName: 'Vanishing' });
    expect(await search('vanishing', other)).toEqual([d.id]);
    await t.db.prisma.workspace.delete({ where: { id: other } });
    expect(await search('vanishing', other)).toEqual([]);
    assertIndexInStep();
  });

  // The FTS5 migration's backfill; PostgreSQL's index is created over whatever rows exist.
  it.runIf(testDatabase === 'sqlite')('backfills contacts that existed before the migration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-search-mig-'));
    const onlyInit = join(dir, 'migrations');
    const init = '20261128133353_init';
    cpSync(join(migrationsDir, init), join(onlyInit, init), { recursive: true });
    const conn = new Database(join(dir, 'db.sqlite'));
    try {
      applyMigrations(conn, onlyInit);
      conn.exec(`INSERT INTO Workspace (id, name, createdAt, updatedAt) VALUES (1, 'w', 0, 0);
        INSERT INTO Contact (workspaceId, channel, channelUserId, nameKey, email, phone, createdAt, updatedAt)
        VALUES (1, 'sms', '+4915112345678', 'grete östlund', 'grete@example.test', '+4915112345678', 0, 0)`);
      expect(applyMigrations(conn, migrationsDir).some((m: string) => m.endsWith('_contact_search'))).toBe(true);
      const hit = (q: string) => conn.prepare('SELECT rowid FROM ContactSearch WHERE ContactSearch MATCH ?').pluck().all(q);
      expect(hit('"ostlund"')).toEqual([1]);
      expect(hit('phone : "1511234"')).toEqual([1]);
      conn.exec(`INSERT INTO "ContactSearch"("ContactSearch", rank) VALUES ('integrity-check', 1)`);
    } finally {
      conn.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('searchContacts', () => {
  it('keeps workspaces apart', async () => {
    const a = (await newWorkspace(t.db)).id;
    const b = (await newWorkspace(t.db)).id;
    const inA = await insertRaw({ workspaceId: a, first: 'Perpetua', last: 'Honeycutt', phone: '+12025550111' });
    const inB = await insertRaw({ workspaceId: b, first: 'Perpetua', last: 'Honeycutt', phone: '+12025550112' });
    expect(await search('perpetua honeycutt', a)).toEqual([inA]);
    expect(await search('perpteua honycutt', b)).toEqual([inB]);
    expect(await search('202 555 011', a)).toEqual([inA]);
    expect(await search('pe', b)).toEqual([inB]);
  });

  it('applies the extra condition to every kind of match', async () => {
    const w = (await newWorkspace(t.db)).id;
    const kept = await insertRaw({ workspaceId: w, first: 'Bartholomew', last: 'Inglethorpe', phone: '+61400111222' });
    const dropped = await insertRaw({ workspaceId: w, first: 'Bartholomew', last: 'Inglethorp', phone: '+61400111223' });
    const where = { sql: 'c.id <> ?', params: [dropped] };
    for (const q of ['inglethorp', 'bartholomew inglethrope', 'ba', '0400 111 22']) {
      expect(await search(q, w, where)).toEqual([kept]);
    }
  });

  it('finds short entries by prefix and reports counts', async () => {
    const w = (await newWorkspace(t.db)).id;
    const ids: number[] = [];
    for (const n of ['Xavier One', 'Xander Two', 'Yolanda Xu']) ids.push(await insertRaw({ workspaceId: w, first: n.split(' ')[0]!, last: n.split(' ')[1]! }));
    expect(await search('xa', w)).toEqual([ids[1], ids[0]]);
    expect(await search('x', w)).toEqual([ids[1], ids[0]]);
    expect(await search('  ', w)).toEqual([]);
    expect(await searchContacts(t.db, w, 'xavier', { limit: 1 })).toEqual({ ids: [ids[0]], total: 1, exact: true });
  });

  it('reports a lower bound when more contacts match than it reads', async () => {
    const w = (await newWorkspace(t.db)).id;
    for (let i = 0; i < 1_100; i++) await insertRaw({ workspaceId: w, first: 'Quentin', last: `Oyelaran${i}` });
    const many = await searchContacts(t.db, w, 'quentin oyelaran', { limit: 5 });
    expect(many.ids).toHaveLength(5);
    expect(many.total).toBeGreaterThanOrEqual(1_000);
    expect(many.exact).toBe(false);
    const id = await t.db.sql.value<number>(`SELECT id FROM Contact WHERE workspaceId = ? AND lastName = 'Oyelaran1042'`, [w]);
    expect(await searchContacts(t.db, w, 'quentin oyelaran1042', { limit: 1 })).toEqual({ ids: [id], total: 1, exact: true });
  });

  it('treats FTS5 syntax in the entry as text', async () => {
    for (const q of ['"', 'a" OR "b', 'NEAR(x y)', 'phone : 123', '*', '^abc', '(((']) {
      await expect(search(q)).resolves.toBeInstanceOf(Array);
    }
  });
});
