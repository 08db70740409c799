import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactDetail, FieldValue } from '@switchboard/shared';
import type { SqlValue } from '../src/db/sql.ts';
import { Prisma } from '../src/generated/prisma/client.js';
import { login, setupApp, testDatabase, type TestApp } from './helper.ts';
import { newApiKey, newField, newSequence, newTeam, newTopic } from './factories.ts';
import { errorsCsv, importCsv } from './support/imports.ts';
import { sendAgentMessage } from '../src/features/conversations/send.ts';
import { sqlitePath } from '../src/db/sqlite.ts';

// Data protection (issue "Hardening"): erasure leaves one audit tombstone and nothing else,
// in any table, the search index or any file under DATA_DIR.

let t: TestApp;
beforeAll(async () => {
  t = await setupApp({ IMPORT_BATCH_ROWS: '3' }, { jobs: { pollMs: 50, progressMs: 50 } });
});
afterAll(() => t.close());

const rows = <T = Record<string, unknown>>(sql: string, ...params: SqlValue[]) => t.db.sql.all<T>(sql, params);
const one = async <T>(sql: string, ...params: SqlValue[]) => (await t.db.sql.value(sql, params)) as T;

/** The schema's names by their lower-case PostgreSQL twins (tables and columns). */
const schemaName = new Map<string, string>();
for (const [key, names] of Object.entries(Prisma)) {
  if (key === 'ModelName' || key.endsWith('ScalarFieldEnum')) for (const n of Object.values(names as Record<string, string>)) schemaName.set(n.toLowerCase(), n);
}

/** One place where a value of the contact was found: `table.column` and the whole row. */
interface Hit {
  table: string;
  column: string;
  row: Record<string, unknown>;
}

/**
 * Reads every table (on SQLite every table of sqlite_master, FTS5 shadow tables and
 * sqlite_sequence included; on PostgreSQL every table of the schema, under the schema's names)
 * and every column: an integer equal to the id, text or a blob holding the id as a number of its
 * own (`"contactId":"987655"`, `[987655]`) or matching `pii`.
 */
async function scanTables(id: number, pii: RegExp): Promise<Hit[]> {
  const idText = new RegExp(`(?<![0-9])${id}(?![0-9])`);
  const hits: Hit[] = [];
  const tables: { table: string; all: Record<string, unknown>[] }[] = [];
  if (testDatabase === 'postgres') {
    const names = await t.db.sql.column<string>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    for (const name of names) {
      const all = (await rows(`SELECT * FROM "${name}"`)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [schemaName.get(k) ?? k, v])));
      tables.push({ table: schemaName.get(name) ?? name, all });
    }
  } else {
    for (const table of await t.db.sql.column<string>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)) {
      let all: Record<string, unknown>[];
      try {
        // rowid too: it is the contact id in the search index.
        all = await rows(`SELECT rowid AS "(rowid)", * FROM "${table}"`);
      } catch {
        all = await rows(`SELECT * FROM "${table}"`); // WITHOUT ROWID (FTS5 _idx)
      }
      tables.push({ table, all });
    }
  }
  for (const { table, all } of tables) {
    for (const row of all) {
      for (const [column, v] of Object.entries(row)) {
        const text = typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('latin1') : null;
        if (v === id || (text !== null && (idText.test(text) || pii.test(text)))) hits.push({ table, column, row });
      }
    }
  }
  return hits;
}

/** Files under DATA_DIR (uploads, job inputs, errors.csv, exports) holding `pii`; the SQLite files are scanned by table instead. */
function scanFiles(dir: string, dbFile: string, pii: RegExp): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!name.startsWith(basename(dbFile)) && pii.test(readFileSync(path).toString('latin1'))) found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found.sort();
}

describe('erasure', () => {
  const PHONE = '+33612345678';
  const EMAIL = 'zelda.quixotica@erase.test';
  const AVATAR = 'https://cdn.example.test/zelda-quixotica.png';
  // The phone also without its plus (a channel or a file may write it so), the name, the avatar.
  const PII = /\+?33612345678|zelda\.quixotica@erase\.test|Quixotica|zelda-quixotica\.png/i;
  let ws: number;
  let id: number;
  let bystander: number;
  let cookies: Record<'agent' | 'supervisor' | 'lead', string>;
  let importDir: string;
  let before: { hits: Hit[]; files: string[]; indexTerms: number; deliveries: number[]; conversationId: number };
  // On PostgreSQL no database file lives under DATA_DIR.
  const dbFile = () => (testDatabase === 'postgres' ? '(no database file)' : sqlitePath(t.config.databaseUrl));
  const search = async (q: string) =>
    ((await t.app.inject({ url: `/api/workspaces/${ws}/contacts?q=${encodeURIComponent(q)}`, headers: { cookie: cookies.agent } })).json().items as { id: string }[]).map((c) => c.id);
  /**
   * Search index postings for the contact, read from the FTS5 index itself (not from Contact). On
   * PostgreSQL the index is the trigram index over Contact's stored search text: the rows whose
   * search text holds her name, e-mail or phone.
   */
  const indexTerms = async () => {
    if (testDatabase === 'postgres') {
      return Number(await one('SELECT count(*) FROM Contact WHERE searchText LIKE ? OR searchText LIKE ? OR searchText LIKE ?', '%quixotica%', `%${EMAIL}%`, '%33612345678%'));
    }
    t.db.conn.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.contact_search_terms USING fts5vocab('main', 'ContactSearch', 'instance')`);
    return one<number>('SELECT count(*) FROM temp.contact_search_terms WHERE doc = ?', id);
  };

  beforeAll(async () => {
    const { workspace, members } = await newTeam(t.db);
    ws = workspace.id;
    cookies = { agent: await login(t.app, members.agent.email), supervisor: await login(t.app, members.supervisor.email), lead: await login(t.app, members.lead.email) };
    const { key } = await newApiKey(t.db, ws);
    await newField(t.db, { workspaceId: ws, key: 'plan', type: 'text' });
    await newField(t.db, { workspaceId: ws, key: 'score', type: 'number' });
    // A six-digit id nothing else has: a scan for it in text cannot hit a count or a time by chance.
    if (testDatabase === 'postgres') {
      await t.db.sql.value(`SELECT setval(pg_get_serial_sequence('contact', 'id'), GREATEST(987654, (SELECT COALESCE(max(id), 0) FROM Contact)))`);
    } else {
      await t.db.tx(async () => {
        const r = t.db.conn.prepare(`UPDATE sqlite_sequence SET seq = max(seq, 987654) WHERE name = 'Contact'`).run();
        if (!r.changes) t.db.conn.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('Contact', 987654)`).run();
      });
    }

    const inbound = (channelUserId: string, profile: object, text: string, externalId: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/inbound/messages',
        headers: { authorization: `Bearer ${key}` },
        payload: { channel: 'sms', channelUserId, profile, message: { externalId, text } },
      });
    const first = await inbound(PHONE, { firstName: 'Zelda', lastName: 'Quixotica', email: EMAIL, phone: PHONE, country: 'FR', avatarUrl: AVATAR }, `Hi, Zelda Quixotica here, call ${PHONE}`, 'sms-1');
    expect(first.statusCode, first.body).toBe(202);
    id = Number(first.json().contactId);
    expect(id).toBe(987655);
    await inbound(PHONE, { email: EMAIL }, `or write to ${EMAIL}`, 'sms-2');
    // Someone else, written after her: erasure must leave them alone.
    bystander = Number((await inbound('+33698765432', { firstName: 'Bystander', email: 'by@stander.test' }, 'hello', 'sms-3')).json().contactId);
    const conversationId = Number(first.json().conversationId);

    const base = `/api/workspaces/${ws}/contacts/${id}`;
    const patch = await t.app.inject({
      method: 'PATCH',
      url: base,
      headers: { cookie: cookies.agent },
      payload: { ops: [{ op: 'addTag', tag: 'vip-zq' }, { op: 'setField', key: 'plan', value: `gold for ${EMAIL}` }, { op: 'setProfile', field: 'gender', value: 'female' }] },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const note = await t.app.inject({ method: 'POST', url: `${base}/notes`, headers: { cookie: cookies.agent }, payload: { body: `Zelda Quixotica asked to be called on ${PHONE}` } });
    await t.app.inject({ method: 'PATCH', url: `${base}/notes/${note.json().id}`, headers: { cookie: cookies.agent }, payload: { body: `Call Quixotica on ${PHONE} after 5pm` } });
    await newSequence(t.db, ws, 'Onboarding', [id, bystander]);
    await newTopic(t.db, ws, 'Price drop', [id, bystander]);
    await sendAgentMessage({ db: t.db, gateway: t.app.gateway }, ws, members.agent.id, { conversationId, body: `Sure Zelda, we will call ${PHONE}`, idempotencyKey: 'reply-1' });
    expect((await t.app.inject({ url: `${base}/export`, headers: { cookie: cookies.agent } })).statusCode).toBe(200);

    // An import that updated her (JobContactChange with the values it overwrote) and rejected a
    // second row of hers (errors.csv repeats its cells).
    const csv = ['Phone,Email,First name,Last name,Score,Tags', `${PHONE},${EMAIL},Zelda,Quixotica-Imported,42,imported-zq`, `${PHONE},${EMAIL},Zelda,Quixotica,not-a-number,`].join('\n');
    const job = await importCsv(t, cookies.lead, ws, csv, {
      mapping: { Phone: 'phone', Email: 'email', 'First name': 'firstName', 'Last name': 'lastName', Score: 'custom.score', Tags: 'tags' },
      onExisting: 'update',
    });
    expect(job).toMatchObject({ status: 'completed', counts: { updated: 1, rejected: 1 } });
    expect(await errorsCsv(t, cookies.lead, ws, job.id)).toContain(PHONE);
    importDir = join('jobs', job.id);

    before = {
      hits: await scanTables(id, PII),
      files: scanFiles(t.dataDir, dbFile(), PII),
      indexTerms: await indexTerms(),
      deliveries: (await rows<{ id: number }>('SELECT d.id FROM OutboundDelivery d JOIN Message m ON m.id = d.messageId WHERE m.contactId = ?', id)).map((r) => r.id),
      conversationId,
    };

    expect((await t.app.inject({ method: 'DELETE', url: base, headers: { cookie: cookies.agent } })).statusCode).toBe(403);
    const erased = await t.app.inject({ method: 'DELETE', url: base, headers: { cookie: cookies.supervisor } });
    expect(erased.statusCode, erased.body).toBe(200);
  });

  it('the scan sees the contact everywhere before the erasure (a scan that finds nothing proves nothing)', () => {
    const tables = new Set(before.hits.map((h) => h.table));
    // SQLite's search index is the FTS5 table and its shadow tables; PostgreSQL's is Contact's own search text.
    const searchIndex = testDatabase === 'postgres' ? [] : ['ContactSearch', 'ContactSearch_docsize'];
    for (const table of ['Contact', ...searchIndex, 'ContactTag', 'Note', 'ContactSequence', 'ContactOtnTopic', 'FieldValue', 'Conversation', 'Message', 'JobContactChange', 'AuditEvent', 'EventLog']) {
      expect(tables, table).toContain(table);
    }
    // Personal data inside JSON: audit diffs and broadcast payloads.
    expect(before.hits.some((h) => h.table === 'AuditEvent' && h.column === 'changes' && PII.test(String(h.row.changes)))).toBe(true);
    expect(before.hits.some((h) => h.table === 'EventLog' && h.column === 'payload' && PII.test(String(h.row.payload)))).toBe(true);
    expect(before.indexTerms).toBeGreaterThan(0);
    expect(before.deliveries).toHaveLength(1);
    expect(before.files).toEqual(expect.arrayContaining([join(importDir, 'errors.csv')]));
  });

  it('leaves no row in any table but one tombstone and id-only notices in the event log', async () => {
    const hits = await scanTables(id, PII);
    const tombstone = (h: Hit) => h.table === 'AuditEvent' && h.row.action === 'contact.erased' && h.row.changes === null && h.column === 'contactId';
    // Replay keeps its sequence: past events about her became `contact:deleted { contactId }`, and
    // an import's batch summary lists ids only. Neither carries anything but the bare id.
    const notice = (h: Hit) => {
      if (h.table !== 'EventLog' || !['contactId', 'payload'].includes(h.column)) return false;
      const p = JSON.parse(String(h.row.payload)) as Record<string, unknown>;
      if (h.row.name === 'contact:deleted') return JSON.stringify(p) === JSON.stringify({ contactId: String(id) });
      return h.row.name === 'contacts:changed' && Object.keys(p).sort().join() === 'contactIds,deleted,jobId' && !PII.test(String(h.row.payload));
    };
    expect(hits.filter((h) => !tombstone(h) && !notice(h)).map((h) => `${h.table}.${h.column}: ${JSON.stringify(h.row)}`)).toEqual([]);
    expect(hits.filter(tombstone)).toHaveLength(1);
    expect(await rows('SELECT action, actorKind, changes FROM AuditEvent WHERE contactId = ?', id)).toEqual([{ action: 'contact.erased', actorKind: 'agent', changes: null }]);
    // Rows that point at her through another id (no contactId column of their own) went too.
    expect(await one<number>(`SELECT count(*) FROM OutboundDelivery WHERE id IN (${before.deliveries.join(',')})`)).toBe(0);
    expect(await one<number>('SELECT count(*) FROM Conversation WHERE id = ?', before.conversationId)).toBe(0);
    expect(await one<number>('SELECT count(*) FROM Message WHERE conversationId = ?', before.conversationId)).toBe(0);
  });

  it('drops her from the search index and the API, and leaves the bystander as they were', async () => {
    expect(await indexTerms()).toBe(0);
    // FTS5's own consistency check of the index against Contact (PostgreSQL keeps its index in step itself).
    if (testDatabase === 'sqlite') await t.db.tx(async () => void t.db.conn.prepare(`INSERT INTO ContactSearch(ContactSearch) VALUES('integrity-check')`).run());
    for (const q of [PHONE, EMAIL, 'Quixotica', 'zelda']) expect(await search(q), q).toEqual([]);
    expect((await t.app.inject({ url: `/api/workspaces/${ws}/contacts/${id}`, headers: { cookie: cookies.agent } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/workspaces/${ws}/contacts/${id}/history`, headers: { cookie: cookies.agent } })).statusCode).toBe(404);
    expect(await search('Bystander')).toEqual([String(bystander)]);
    const other = (await t.app.inject({ url: `/api/workspaces/${ws}/contacts/${bystander}`, headers: { cookie: cookies.agent } })).json() as ContactDetail;
    expect(other).toMatchObject({ email: 'by@stander.test', sequences: [{ name: 'Onboarding' }], otnTopics: [{ name: 'Price drop' }] });
  });

  it('leaves no file under DATA_DIR holding her data outside the import that read her', () => {
    expect(scanFiles(t.dataDir, dbFile(), PII).filter((f) => !f.startsWith(importDir))).toEqual([]);
  });

  // The upload is deleted when the import ends; her rejected row leaves its errors.csv at erasure.
  it('removes her from the files of the import that read her', () => {
    expect(scanFiles(t.dataDir, dbFile(), PII)).toEqual([]);
  });
});

