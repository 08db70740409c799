import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactDetail, FieldValue } from '@switchboard/shared';
import { fold } from '@switchboard/shared';
import type { SqlValue } from '../src/db/sql.ts';
import { login, setupApp, testDatabase, type TestApp } from './helper.ts';
import { addMembership, newAgent, newContact, newField, newSequence, newTeam, newTopic } from './factories.ts';

// Data protection (issue "Hardening"): every contact mutation is audited exactly once, in the
// mutation's own transaction.

let t: TestApp;
beforeAll(async () => {
  t = await setupApp({ IMPORT_BATCH_ROWS: '3' }, { jobs: { pollMs: 50, progressMs: 50 } });
});
afterAll(() => t.close());

const rows = <T = Record<string, unknown>>(sql: string, ...params: SqlValue[]) => t.db.sql.all<T>(sql, params);
const one = async <T>(sql: string, ...params: SqlValue[]) => (await t.db.sql.value(sql, params)) as T;

/** A small seeded PRNG (mulberry32): the same seed replays the same mutations. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, chance: (p: number) => next() < p };
}

describe('audit completeness', () => {
  type Role = 'agent' | 'agent2' | 'supervisor' | 'lead';
  type ProfileKey = 'firstName' | 'lastName' | 'email' | 'gender' | 'language' | 'country';
  /** What the test expects a contact to be; checked against the API at the end, so the expected audit counts rest on it. */
  interface Model {
    id: number;
    version: number;
    profile: Record<ProfileKey, string | null>;
    tags: Set<string>;
    fields: Map<string, FieldValue>;
    sequences: Set<string>;
    topics: Set<string>;
    notes: Map<number, { author: Role; body: string }>;
  }
  /** Why a request must be refused: the op that fails, in the server's order. */
  class Refused extends Error {
    constructor(readonly status: number) {
      super(String(status));
    }
  }

  const SEED = Number(process.env.SB_AUDIT_SEED ?? 20261130);
  // AUDIT_MUTATIONS: the PostgreSQL project runs fewer (vitest.config.ts).
  const MUTATIONS = Number(process.env.AUDIT_MUTATIONS ?? 10_000);
  const FIELDS: Record<string, readonly FieldValue[]> = { plan: ['silver', 'gold', 'platinum'], score: [0, 1.5, 42, -7], vip: [true, false], nick: ['Zed', 'Ace', 'Bo'] };
  const INVALID: Record<string, FieldValue> = { plan: 'bronze', score: 'lots', vip: 'yes', nick: '   ' };
  const PROFILE: Record<ProfileKey, readonly (string | null)[]> = {
    firstName: ['Ana', 'Bo', 'Cy', null],
    lastName: ['Lee', 'Kim', null],
    email: ['ana@x.io', 'bo@y.io', null],
    gender: ['male', 'female', 'other', null],
    language: ['en', 'fr', 'de', null],
    country: ['FR', 'DE', 'US', null],
  };
  const BAD_PROFILE: Partial<Record<ProfileKey, string>> = { email: 'not-an-email', gender: 'robot', language: 'english', country: 'France' };
  const TAGS = ['vip', 'VIP', 'churn', 'Lead', 'lead', 'hot'];

  let ws: number;
  const cookie = {} as Record<Role, string>;
  const agentId = {} as Record<Role, number>;
  let sequenceIds: string[];
  let topicIds: string[];
  const url = (contactId: number, rest = '') => `/api/workspaces/${ws}/contacts/${contactId}${rest}`;
  const detail = async (contactId: number) => (await t.app.inject({ url: url(contactId), headers: { cookie: cookie.agent } })).json() as ContactDetail;
  const maxAuditId = async () => (await one<number | null>('SELECT max(id) FROM AuditEvent')) ?? 0;
  const versionOf = (contactId: number) => one<number | undefined>('SELECT version FROM Contact WHERE id = ?', contactId);
  const eventSeq = () => one<number>('SELECT eventSeq FROM Workspace WHERE id = ?', ws);

  async function newModel(enrol: boolean): Promise<Model> {
    const c = await newContact(t.db, { workspaceId: ws, email: `c${Math.random().toString(36).slice(2)}@pool.test` });
    if (enrol) {
      await t.db.tx(async (_tx, sql) => {
        for (const s of sequenceIds) await sql.run('INSERT INTO ContactSequence (contactId, sequenceId, subscribedAt) VALUES (?, ?, ?)', [c.id, Number(s), new Date()]);
        for (const s of topicIds) await sql.run('INSERT INTO ContactOtnTopic (contactId, topicId, optedInAt) VALUES (?, ?, ?)', [c.id, Number(s), new Date()]);
      });
    }
    const d = await detail(c.id);
    return {
      id: c.id,
      version: d.version,
      profile: { firstName: d.firstName, lastName: d.lastName, email: d.email, gender: d.gender, language: d.language, country: d.country },
      tags: new Set(d.tags.map(fold)),
      fields: new Map(),
      sequences: new Set(d.sequences.map((s) => s.id)),
      topics: new Set(d.otnTopics.map((s) => s.id)),
      notes: new Map(),
    };
  }

  const clone = (m: Model): Model => ({ ...m, profile: { ...m.profile }, tags: new Set(m.tags), fields: new Map(m.fields), sequences: new Set(m.sequences), topics: new Set(m.topics), notes: new Map(m.notes) });
  const other = <T>(r: ReturnType<typeof prng>, xs: readonly T[], not: T) => r.pick(xs.filter((x) => JSON.stringify(x) !== JSON.stringify(not)));

  /** A random PATCH op and its effect on `m` (the server's order of checks: expected, then value). Returns the audit action or null for a no-op. */
  function randomOp(r: ReturnType<typeof prng>, m: Model): { op: object; apply: () => string | null } {
    const kind = r.int(100);
    if (kind < 20) {
      const tag = r.pick(TAGS);
      return { op: { op: 'addTag', tag }, apply: () => (m.tags.has(fold(tag)) ? null : (m.tags.add(fold(tag)), 'contact.tag_added')) };
    }
    if (kind < 35) {
      const tag = r.pick(TAGS);
      return { op: { op: 'removeTag', tag }, apply: () => (m.tags.delete(fold(tag)) ? 'contact.tag_removed' : null) };
    }
    if (kind < 60) {
      const key = r.pick(Object.keys(FIELDS));
      const clear = r.chance(0.25);
      const current = m.fields.get(key) ?? null;
      const e = r.int(100);
      // Expected: left out, what the editor saw, or a stale value (409).
      const expected = e < 50 ? undefined : e < 85 ? current : other(r, [...FIELDS[key]!, null], current);
      const value = clear ? undefined : r.chance(0.04) ? INVALID[key] : r.pick(FIELDS[key]!);
      const op = clear ? { op: 'clearField', key, expected } : { op: 'setField', key, value, expected };
      return {
        op,
        apply: () => {
          // An earlier op of the same request may have changed it: ops apply in order.
          const now = m.fields.get(key) ?? null;
          if (expected !== undefined && JSON.stringify(expected) !== JSON.stringify(now)) throw new Refused(409);
          if (clear) return m.fields.delete(key) ? 'contact.field_cleared' : null;
          if (value === INVALID[key]) throw new Refused(400);
          if (now === value) return null;
          m.fields.set(key, value!);
          return 'contact.field_set';
        },
      };
    }
    if (kind < 92) {
      const field = r.pick(Object.keys(PROFILE) as ProfileKey[]);
      const current = m.profile[field];
      const e = r.int(100);
      const expected = e < 50 ? undefined : e < 85 ? current : other(r, PROFILE[field], current);
      const value = r.chance(0.04) && BAD_PROFILE[field] ? BAD_PROFILE[field] : r.pick(PROFILE[field]);
      return {
        op: { op: 'setProfile', field, value, expected },
        apply: () => {
          const now = m.profile[field];
          if (expected !== undefined && expected !== now) throw new Refused(409);
          if (value === BAD_PROFILE[field]) throw new Refused(400);
          if (value === now) return null;
          m.profile[field] = value;
          return 'contact.profile_set';
        },
      };
    }
    if (kind < 96) {
      const sequenceId = r.pick(sequenceIds);
      return { op: { op: 'removeSequence', sequenceId }, apply: () => (m.sequences.delete(sequenceId) ? 'contact.sequence_removed' : null) };
    }
    const topicId = r.pick(topicIds);
    return { op: { op: 'removeOtnTopic', topicId }, apply: () => (m.topics.delete(topicId) ? 'contact.otn_topic_removed' : null) };
  }

  beforeAll(async () => {
    const { workspace, members } = await newTeam(t.db);
    ws = workspace.id;
    const second = await newAgent(t.db);
    await addMembership(t.db, ws, second.id, 'agent');
    const ids: Record<Role, { id: number; email: string }> = { agent: members.agent, agent2: second, supervisor: members.supervisor, lead: members.lead };
    for (const role of Object.keys(ids) as Role[]) {
      cookie[role] = await login(t.app, ids[role].email);
      agentId[role] = ids[role].id;
    }
    await newField(t.db, { workspaceId: ws, key: 'plan', type: 'select', options: ['silver', 'gold', 'platinum'] });
    await newField(t.db, { workspaceId: ws, key: 'score', type: 'number' });
    await newField(t.db, { workspaceId: ws, key: 'vip', type: 'boolean' });
    await newField(t.db, { workspaceId: ws, key: 'nick', type: 'text' });
    sequenceIds = [String((await newSequence(t.db, ws, 'Welcome')).id), String((await newSequence(t.db, ws, 'Winback')).id)];
    topicIds = [String((await newTopic(t.db, ws, 'Restock')).id), String((await newTopic(t.db, ws, 'Sale')).id)];
  });

  it('a PATCH refused mid-way (stale expected) leaves neither its earlier ops, nor an audit entry, nor an event', async () => {
    const m = await newModel(true);
    const auditBefore = await maxAuditId();
    const seqBefore = await eventSeq();
    const res = await t.app.inject({
      method: 'PATCH',
      url: url(m.id),
      headers: { cookie: cookie.agent },
      payload: {
        ops: [
          { op: 'addTag', tag: 'half-applied' },
          { op: 'setProfile', field: 'firstName', value: 'Changed' },
          { op: 'removeSequence', sequenceId: sequenceIds[0] },
          { op: 'setField', key: 'plan', value: 'gold', expected: 'silver' },
        ],
      },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().details).toMatchObject({ path: 'custom.plan', current: null });
    const d = await detail(m.id);
    expect({ version: d.version, tags: d.tags, firstName: d.firstName, sequences: d.sequences.length, fields: d.fields }).toEqual({
      version: m.version,
      tags: [],
      firstName: m.profile.firstName,
      sequences: 2,
      fields: {},
    });
    // Not even the tag the first op created on the way.
    expect(await one<number>(`SELECT count(*) FROM Tag WHERE workspaceId = ? AND name = 'half-applied'`, ws)).toBe(0);
    expect(await maxAuditId()).toBe(auditBefore);
    expect(await eventSeq()).toBe(seqBefore);
  });

  it('a change whose audit entry cannot be written is rolled back with it (PATCH, note, erasure)', async () => {
    const m = await newModel(true);
    const note = await t.app.inject({ method: 'POST', url: url(m.id, '/notes'), headers: { cookie: cookie.agent }, payload: { body: 'kept' } });
    expect(note.statusCode).toBe(201);
    const history = await rows('SELECT id, action FROM AuditEvent WHERE contactId = ? ORDER BY id', m.id);
    const seqBefore = await eventSeq();
    // The audit table refuses every write, for this test only: on SQLite a temp trigger on the
    // app's own connection; on PostgreSQL a trigger in this file's own database.
    if (testDatabase === 'postgres') {
      await t.db.sql.run(`CREATE FUNCTION audit_unavailable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`);
      await t.db.sql.run('CREATE TRIGGER audit_unavailable BEFORE INSERT ON AuditEvent FOR EACH ROW EXECUTE FUNCTION audit_unavailable()');
    } else {
      t.db.conn.exec(`CREATE TEMP TRIGGER audit_unavailable BEFORE INSERT ON AuditEvent BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END`);
    }
    try {
      const attempts = [
        await t.app.inject({ method: 'PATCH', url: url(m.id), headers: { cookie: cookie.agent }, payload: { ops: [{ op: 'addTag', tag: 'unaudited' }, { op: 'setField', key: 'score', value: 5 }] } }),
        await t.app.inject({ method: 'POST', url: url(m.id, '/notes'), headers: { cookie: cookie.agent }, payload: { body: 'unaudited' } }),
        await t.app.inject({ method: 'PATCH', url: url(m.id, `/notes/${note.json().id}`), headers: { cookie: cookie.agent }, payload: { body: 'unaudited' } }),
        await t.app.inject({ method: 'DELETE', url: url(m.id, `/notes/${note.json().id}`), headers: { cookie: cookie.agent } }),
        await t.app.inject({ method: 'DELETE', url: url(m.id), headers: { cookie: cookie.supervisor } }),
      ];
      expect(attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 500]);
    } finally {
      if (testDatabase === 'postgres') {
        await t.db.sql.run('DROP TRIGGER audit_unavailable ON AuditEvent');
        await t.db.sql.run('DROP FUNCTION audit_unavailable()');
      } else {
        t.db.conn.exec('DROP TRIGGER temp.audit_unavailable');
      }
    }
    const d = await detail(m.id);
    expect({ version: d.version, tags: d.tags, fields: d.fields, notes: d.notes.map((n) => n.body), sequences: d.sequences.length }).toEqual({
      version: m.version,
      tags: [],
      fields: {},
      notes: ['kept'],
      sequences: 2,
    });
    expect(await one<number>(`SELECT count(*) FROM Tag WHERE workspaceId = ? AND name = 'unaudited'`, ws)).toBe(0);
    expect(await rows('SELECT id, action FROM AuditEvent WHERE contactId = ? ORDER BY id', m.id)).toEqual(history);
    expect(await eventSeq()).toBe(seqBefore);
  });

  it(`${MUTATIONS.toLocaleString('en-US')} random mutations through the API: one audit entry per change, none for a refusal or a no-op`, async () => {
    const r = prng(SEED);
    const pool: Model[] = [];
    for (let i = 0; i < 6; i++) pool.push(await newModel(true));
    const erased: number[] = [];
    const tally = { requests: 0, ok: 0, refused: { 400: 0, 403: 0, 404: 0, 409: 0 } as Record<number, number>, changes: 0, erasures: 0, audited: 0 };
    const started = performance.now();
    let lastAudit = await maxAuditId();

    for (let i = 0; i < MUTATIONS; i++) {
      const actor = r.pick(['agent', 'agent', 'agent2', 'supervisor', 'lead'] as const);
      const slot = r.int(pool.length);
      const m = pool[slot]!;
      const roll = r.int(1000);
      let req: { method: 'PATCH' | 'POST' | 'DELETE'; url: string; payload?: object };
      // The expected outcome: a status, and the audit actions the request must leave, in order.
      let expectStatus = 200;
      let actions: string[] = [];
      let next = m;
      let onOk: (body: { id?: string }) => void = () => {};
      let erasure = false;

      if (roll < 8 && erased.length) {
        // A contact erased earlier: nothing to change, nothing to audit.
        req = { method: 'PATCH', url: url(r.pick(erased)), payload: { ops: [{ op: 'addTag', tag: 'ghost' }] } };
        expectStatus = 404;
      } else if (roll < 10) {
        erasure = true;
        req = { method: 'DELETE', url: url(m.id) };
        if (actor === 'agent' || actor === 'agent2') expectStatus = 403;
        else actions = ['contact.erased'];
      } else if (roll < 760) {
        next = clone(m);
        const ops = Array.from({ length: 1 + r.int(3) }, () => randomOp(r, next));
        req = { method: 'PATCH', url: url(m.id), payload: { ops: ops.map((o) => o.op) } };
        try {
          actions = ops.map((o) => o.apply()).filter((a): a is string => a !== null);
          if (actions.length) next.version++;
        } catch (err) {
          if (!(err instanceof Refused)) throw err;
          expectStatus = err.status;
          actions = [];
          next = m;
        }
      } else if (roll < 880) {
        const body = `note ${i} ${r.pick(['call back', 'asked for a refund', 'VIP'])}`;
        req = { method: 'POST', url: url(m.id, '/notes'), payload: { body } };
        expectStatus = 201;
        actions = ['note.added'];
        onOk = (res) => m.notes.set(Number(res.id), { author: actor, body });
      } else {
        const noteIds = [...m.notes.keys()];
        const noteId = noteIds.length && !r.chance(0.05) ? r.pick(noteIds) : 99_999_999;
        const note = m.notes.get(noteId);
        const edit = roll < 940;
        req = edit ? { method: 'PATCH', url: url(m.id, `/notes/${noteId}`), payload: { body: `edited ${i}` } } : { method: 'DELETE', url: url(m.id, `/notes/${noteId}`) };
        if (!note) expectStatus = 404;
        else if (note.author !== actor && (actor === 'agent' || actor === 'agent2')) expectStatus = 403;
        else {
          actions = [edit ? 'note.edited' : 'note.deleted'];
          onOk = () => (edit ? m.notes.set(noteId, { ...note, body: `edited ${i}` }) : m.notes.delete(noteId));
        }
      }

      const seqBefore = await eventSeq();
      const res = await t.app.inject({ ...req, headers: { cookie: cookie[actor] } });
      tally.requests++;
      const context = `#${i} seed ${SEED} ${actor} ${req.method} ${req.url} ${JSON.stringify(req.payload)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
      if (res.statusCode !== expectStatus) expect.fail(`expected ${expectStatus}: ${context}`);
      const fresh = await rows<{ contactId: number | null; action: string; actorId: number | null }>('SELECT contactId, action, actorId FROM AuditEvent WHERE id > ? ORDER BY id', lastAudit);
      const targetId = Number(req.url.split('/')[5]);
      expect(fresh, context).toEqual(actions.map((action) => ({ contactId: targetId, action, actorId: agentId[actor] })));
      tally.audited += fresh.length;
      lastAudit = await maxAuditId();

      if (res.statusCode >= 400) {
        tally.refused[res.statusCode]!++;
        // Refused: no change reached the contact nor the event log either.
        expect(await eventSeq(), context).toBe(seqBefore);
        if (expectStatus !== 404) expect(await versionOf(m.id), context).toBe(m.version);
        continue;
      }
      tally.ok++;
      tally.changes += actions.length;
      if (erasure) {
        tally.erasures++;
        // The erased contact's history went with it: the tombstone is all that is left.
        expect(await rows('SELECT action FROM AuditEvent WHERE contactId = ?', m.id), context).toEqual([{ action: 'contact.erased' }]);
        erased.push(m.id);
        pool[slot] = await newModel(r.chance(0.5));
        continue;
      }
      onOk(res.json());
      if (next !== m) pool[slot] = next;
      expect(await versionOf(m.id), context).toBe(pool[slot]!.version);
    }

    const seconds = (performance.now() - started) / 1000;
    console.info(`audit completeness: ${JSON.stringify(tally)} in ${seconds.toFixed(1)} s`);
    // 100% audited: every change has its entry, and no entry exists without a change.
    expect(tally.audited).toBe(tally.changes);
    expect(tally.requests).toBe(MUTATIONS);
    // The random walk reached every kind of outcome, so the totals above mean something.
    expect(tally.ok).toBeGreaterThan(MUTATIONS / 2);
    expect(tally.erasures).toBeGreaterThan(3);
    for (const status of [400, 403, 404, 409]) expect(tally.refused[status], String(status)).toBeGreaterThan(10);
    const audited = (await rows<{ action: string }>(`SELECT DISTINCT action FROM AuditEvent WHERE workspaceId = ? AND (action LIKE 'contact.%' OR action LIKE 'note.%') ORDER BY action`, ws)).map((a) => a.action);
    expect(audited).toEqual(
      expect.arrayContaining(['contact.erased', 'contact.field_cleared', 'contact.field_set', 'contact.otn_topic_removed', 'contact.profile_set', 'contact.sequence_removed', 'contact.tag_added', 'contact.tag_removed', 'note.added', 'note.deleted', 'note.edited']),
    );

    // The model the expectations came from is what the API shows.
    for (const m of pool) {
      const d = await detail(m.id);
      expect({
        version: d.version,
        profile: { firstName: d.firstName, lastName: d.lastName, email: d.email, gender: d.gender, language: d.language, country: d.country },
        tags: d.tags.map(fold).sort(),
        fields: d.fields,
        sequences: d.sequences.map((s) => s.id).sort(),
        topics: d.otnTopics.map((s) => s.id).sort(),
        notes: d.notes.map((n) => [Number(n.id), n.body]).sort(),
      }).toEqual({
        version: m.version,
        profile: m.profile,
        tags: [...m.tags].sort(),
        fields: Object.fromEntries(m.fields),
        sequences: [...m.sequences].sort(),
        topics: [...m.topics].sort(),
        notes: [...m.notes].map(([id, n]) => [id, n.body]).sort(),
      });
    }
    // Each request is a PostgreSQL round trip or several there: the same 10,000 take longer.
  }, testDatabase === 'postgres' ? 600_000 : 300_000);
});
