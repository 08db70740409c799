import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ApiErrorBody, type Role } from '@switchboard/shared';
import { login, setupApp, type TestApp } from './helper.ts';
import { addMembership, newAgent, newApiKey, newContact, newConversation, newField, newSequence, newTeam, newTopic } from './factories.ts';
import { newFinishedImport } from './support/imports.ts';

/**
 * Who may call every route of the app, and what the matrix's request gets back when allowed.
 * The table is checked against `app.routeTable`: a route added without an entry here (or an
 * entry whose route is gone) fails the first test, so nobody ships a route without deciding
 * who may call it.
 *
 * - `open(s)`: no credential at all (health, login, docs); everyone gets `s`.
 * - `signedIn(s)`: any live agent session, whatever its workspaces; `s` for each.
 * - `member(min, s)`: a `/api/workspaces/:workspaceId/...` route; members from `min` up get `s`,
 *   lower roles 403, everyone else 404 (another workspace's ids look like missing ones).
 * - `apiKey(s)`: the inbound API; only a live workspace API key, which decides the workspace.
 * - `visitor(...)`: the public web chat; the visitor cookie of that workspace is the identity.
 *
 * Allowed statuses are those of the matrix's request (an empty JSON body for writes): a 400 says
 * the caller got past authorization to validation, which is what the matrix is about.
 */
type Access =
  | { kind: 'open'; status: number }
  | { kind: 'signedIn'; status: number }
  | { kind: 'member'; min: Role; status: number }
  | { kind: 'apiKey'; status: number }
  | { kind: 'visitor'; status: Record<VisitorSubject, number> };
type VisitorSubject = 'none' | 'forged' | 'otherWorkspace' | 'agentSession' | 'own';

const open = (status: number): Access => ({ kind: 'open', status });
const signedIn = (status: number): Access => ({ kind: 'signedIn', status });
const member = (min: Role, status: number): Access => ({ kind: 'member', min, status });
const apiKey = (status: number): Access => ({ kind: 'apiKey', status });
const visitor = (status: Record<VisitorSubject, number>): Access => ({ kind: 'visitor', status });

const access: Record<string, Access> = {
  // OpenAPI document and its UI: public by design (API.md "OpenAPI is generated … at /docs").
  'GET /docs': open(200),
  'GET /docs/static/index.html': open(302),
  'GET /docs/static/swagger-initializer.js': open(200),
  'GET /docs/json': open(200),
  'GET /docs/yaml': open(200),
  'GET /docs/static/*': open(200),
  'GET /api/health': open(200),
  'POST /api/auth/login': open(400),
  // Logout without a live session is a no-op that clears the cookie.
  'POST /api/auth/logout': open(200),
  'GET /api/auth/me': signedIn(200),
  // Ends the caller's sessions: the matrix gives each route fresh sessions.
  'POST /api/auth/logout-all': signedIn(200),
  'POST /api/auth/password': signedIn(400),
  'GET /api/workspaces': signedIn(200),
  'POST /api/workspaces': signedIn(400),

  'GET /api/workspaces/:workspaceId': member('agent', 200),
  'GET /api/workspaces/:workspaceId/members': member('agent', 200),
  'POST /api/workspaces/:workspaceId/members': member('admin', 400),
  'PATCH /api/workspaces/:workspaceId/members/:agentId': member('admin', 400),
  'DELETE /api/workspaces/:workspaceId/members/:agentId': member('admin', 200),
  'GET /api/workspaces/:workspaceId/api-keys': member('admin', 200),
  'POST /api/workspaces/:workspaceId/api-keys': member('admin', 400),
  'DELETE /api/workspaces/:workspaceId/api-keys/:keyId': member('admin', 200),
  'GET /api/workspaces/:workspaceId/contacts': member('agent', 200),
  'POST /api/workspaces/:workspaceId/contacts': member('agent', 400),
  'GET /api/workspaces/:workspaceId/contacts/:contactId': member('agent', 200),
  'PATCH /api/workspaces/:workspaceId/contacts/:contactId': member('agent', 400),
  'DELETE /api/workspaces/:workspaceId/contacts/:contactId': member('supervisor', 200),
  'GET /api/workspaces/:workspaceId/contacts/:contactId/export': member('agent', 200),
  'GET /api/workspaces/:workspaceId/contacts/:contactId/history': member('agent', 200),
  'POST /api/workspaces/:workspaceId/contacts/:contactId/notes': member('agent', 400),
  'PATCH /api/workspaces/:workspaceId/contacts/:contactId/notes/:noteId': member('agent', 400),
  'DELETE /api/workspaces/:workspaceId/contacts/:contactId/notes/:noteId': member('agent', 200),
  'GET /api/workspaces/:workspaceId/segments': member('agent', 200),
  'POST /api/workspaces/:workspaceId/segments': member('lead', 400),
  'GET /api/workspaces/:workspaceId/segments/:segmentId': member('agent', 200),
  'PATCH /api/workspaces/:workspaceId/segments/:segmentId': member('lead', 200),
  'DELETE /api/workspaces/:workspaceId/segments/:segmentId': member('lead', 200),
  'GET /api/workspaces/:workspaceId/segments/:segmentId/members/:contactId': member('agent', 200),
  'GET /api/workspaces/:workspaceId/fields': member('agent', 200),
  'POST /api/workspaces/:workspaceId/fields': member('lead', 400),
  'PATCH /api/workspaces/:workspaceId/fields/:fieldId': member('lead', 200),
  'DELETE /api/workspaces/:workspaceId/fields/:fieldId': member('lead', 200),
  'GET /api/workspaces/:workspaceId/tags': member('agent', 200),
  'POST /api/workspaces/:workspaceId/tags': member('lead', 400),
  'PATCH /api/workspaces/:workspaceId/tags/:tagId': member('lead', 200),
  'DELETE /api/workspaces/:workspaceId/tags/:tagId': member('lead', 200),
  'GET /api/workspaces/:workspaceId/sequences': member('agent', 200),
  'GET /api/workspaces/:workspaceId/otn-topics': member('agent', 200),
  'GET /api/workspaces/:workspaceId/layout/:surface': member('agent', 200),
  'PUT /api/workspaces/:workspaceId/layout/:surface': member('agent', 400),
  'DELETE /api/workspaces/:workspaceId/layout/:surface': member('agent', 200),
  'GET /api/workspaces/:workspaceId/conversations': member('agent', 200),
  'GET /api/workspaces/:workspaceId/conversations/:conversationId': member('agent', 200),
  'GET /api/workspaces/:workspaceId/conversations/:conversationId/messages': member('agent', 200),
  'GET /api/workspaces/:workspaceId/settings/webhook': member('admin', 200),
  'PUT /api/workspaces/:workspaceId/settings/webhook': member('admin', 400),
  'GET /api/workspaces/:workspaceId/jobs': member('agent', 200),
  'GET /api/workspaces/:workspaceId/jobs/:jobId': member('agent', 200),
  'GET /api/workspaces/:workspaceId/jobs/:jobId/errors.csv': member('lead', 200),
  'GET /api/workspaces/:workspaceId/jobs/:jobId/download': member('lead', 200),
  'POST /api/workspaces/:workspaceId/jobs/:jobId/cancel': member('lead', 409),
  'POST /api/workspaces/:workspaceId/imports': member('lead', 400),
  'POST /api/workspaces/:workspaceId/imports/:jobId/start': member('lead', 400),
  // The matrix's finished import changed no contacts: nothing to undo.
  'POST /api/workspaces/:workspaceId/imports/:jobId/undo': member('lead', 409),
  'POST /api/workspaces/:workspaceId/exports': member('lead', 400),
  // Bulk delete needs supervisor+ (API.md); every lead is one, so the route's minimum covers it.
  'POST /api/workspaces/:workspaceId/bulk': member('lead', 400),

  'POST /api/inbound/messages': apiKey(202),

  // A session is created (201) for anyone without a visitor of this workspace, resumed (200) with one.
  'POST /api/widget/:workspaceId/session': visitor({ none: 201, forged: 201, otherWorkspace: 201, agentSession: 201, own: 200 }),
  // The page loads for anyone; only the own visitor gets a visitor and messages (checked below).
  'GET /api/widget/:workspaceId/conversation': visitor({ none: 200, forged: 200, otherWorkspace: 200, agentSession: 200, own: 200 }),
  'POST /api/widget/:workspaceId/messages': visitor({ none: 401, forged: 401, otherWorkspace: 401, agentSession: 401, own: 201 }),
};

const roles: Role[] = ['agent', 'supervisor', 'lead', 'admin'];

/**
 * Valid bodies for the cross-workspace check, where an empty one would stop at validation
 * before the id is looked up.
 */
const crossBodies: Record<string, object> = {
  'PATCH /api/workspaces/:workspaceId/members/:agentId': { role: 'lead' },
  'PATCH /api/workspaces/:workspaceId/contacts/:contactId': { ops: [{ op: 'addTag', tag: 'taken' }] },
  'POST /api/workspaces/:workspaceId/contacts/:contactId/notes': { body: 'planted' },
  'PATCH /api/workspaces/:workspaceId/contacts/:contactId/notes/:noteId': { body: 'rewritten' },
  'POST /api/workspaces/:workspaceId/imports/:jobId/start': { mapping: { Phone: 'phone' }, channel: 'sms', defaultCountry: 'FR', onExisting: 'skip' },
};

let t: TestApp;
beforeAll(async () => {
  t = await setupApp();
});
afterAll(() => t.close());

let team: Awaited<ReturnType<typeof newTeam>>;
const keyOf = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const routesOf = (kind: Access['kind']) => t.app.routeTable.filter((r) => access[keyOf(r)]?.kind === kind);
const fill = (url: string, p: Record<string, string>) => url.replace(/:(\w+)/g, (_m, k: string) => p[k] ?? '1').replace(/\*$/, 'swagger-ui.css');
const bodyFor = (method: string) => (['GET', 'DELETE'].includes(method) ? undefined : {});

/**
 * The exact status; an error answer must be the API's `{ code, message }` body. Soft, so one run
 * lists every cell of the matrix that is wrong.
 */
function expectStatus(res: LightMyRequestResponse, status: number, label: string) {
  expect.soft(res.statusCode, `${label}: ${res.statusCode} ${res.body.slice(0, 300)}`).toBe(status);
  if (status >= 400) {
    const body = ApiErrorBody.safeParse(JSON.parse(res.body || 'null'));
    expect.soft(body.success, `${label}: error body ${res.body.slice(0, 300)}`).toBe(true);
    if (status === 401) expect.soft(body.data?.code, label).toBe('unauthorized');
    if (status === 403) expect.soft(body.data?.code, label).toBe('forbidden');
    if (status === 404) expect.soft(body.data?.code, label).toBe('not_found');
  }
}

/** Session cookies that no longer open anything: logged out, replaced by a new login, expired. */
async function deadSessions(): Promise<Record<string, string>> {
  const a = await newAgent(t.db);
  await addMembership(t.db, team.workspace.id, a.id, 'admin');
  const loggedOut = await login(t.app, a.email);
  expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: loggedOut } })).statusCode).toBe(200);
  const replaced = await login(t.app, a.email);
  // Signing in again from the same browser ends the old session (no session fixation).
  const relogin = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: replaced }, payload: { email: a.email, password: 'password123' } });
  expect(relogin.statusCode).toBe(200);
  const b = await newAgent(t.db);
  await addMembership(t.db, team.workspace.id, b.id, 'admin');
  const expired = await login(t.app, b.email);
  await t.db.tx((tx) => tx.session.updateMany({ where: { agentId: b.id }, data: { expiresAt: new Date(Date.now() - 1000) } }));
  return { 'a logged-out session': loggedOut, 'a session replaced by a new login': replaced, 'an expired session': expired };
}

/**
 * Fresh resources of the workspace for the ids a route's url names (only those: a workspace
 * holds at most ~180 custom fields before its layout overflows).
 */
async function resourcesIn(url: string, workspaceId: number, authorId: number): Promise<Record<string, string>> {
  const wants = (name: string) => url.includes(`:${name}`);
  const p: Record<string, string> = { workspaceId: String(workspaceId), surface: 'contacts-table' };
  const contact = await newContact(t.db, { workspaceId });
  const n = contact.id;
  p.contactId = String(n);
  if (wants('fieldId')) p.fieldId = String((await newField(t.db, { workspaceId, key: `f${n}`, type: 'text' })).id);
  if (wants('tagId')) p.tagId = String((await t.db.tx((tx) => tx.tag.create({ data: { workspaceId, name: `t${n}` } }))).id);
  if (wants('segmentId')) {
    p.segmentId = String((await t.db.tx((tx) => tx.segment.create({ data: { workspaceId, name: `s${n}`, filter: { field: 'email', op: 'isSet' } } }))).id);
  }
  if (wants('noteId')) p.noteId = String((await t.db.tx((tx) => tx.note.create({ data: { workspaceId, contactId: n, authorId, body: 'n' } }))).id);
  if (wants('keyId')) p.keyId = String((await newApiKey(t.db, workspaceId)).id);
  if (wants('agentId')) {
    const colleague = await newAgent(t.db);
    await addMembership(t.db, workspaceId, colleague.id, 'agent');
    p.agentId = String(colleague.id);
  }
  if (wants('conversationId')) p.conversationId = String((await newConversation(t.db, { workspaceId, contactId: n })).id);
  if (wants('jobId')) p.jobId = String((await newFinishedImport(t, workspaceId)).id);
  await newSequence(t.db, workspaceId, `seq${n}`, [n]);
  await newTopic(t.db, workspaceId, `top${n}`, [n]);
  return p;
}

/** A live session per role of a new workspace, and one of another workspace's admin. */
async function freshSessions(): Promise<Record<string, string>> {
  const mine = await newTeam(t.db);
  const theirs = await newTeam(t.db);
  const out: Record<string, string> = {};
  for (const role of roles) out[role] = await login(t.app, mine.members[role].email);
  out.stranger = await login(t.app, theirs.members.admin.email);
  return out;
}

describe('authorization matrix: the table', () => {
  it('has an entry for every route in the route table, and none for a route that is gone', () => {
    const table = t.app.routeTable.map(keyOf);
    expect(table.length).toBeGreaterThan(60);
    expect(table.filter((k) => !(k in access)), 'routes without an entry in `access`').toEqual([]);
    expect(Object.keys(access).filter((k) => !table.includes(k)), 'entries without a route').toEqual([]);
  });

  it('marks exactly the routes needing no agent session as public', () => {
    for (const route of t.app.routeTable.filter((r) => r.url.startsWith('/api/'))) {
      const kind = access[keyOf(route)]!.kind;
      expect(route.public, keyOf(route)).toBe(kind === 'open' || kind === 'apiKey' || kind === 'visitor');
    }
  });
});

describe('authorization matrix: agent sessions', () => {
  let cookies: Record<Role, string>;
  let stranger: string;
  let dead: Record<string, string>;
  beforeAll(async () => {
    team = await newTeam(t.db);
    const other = await newTeam(t.db);
    cookies = Object.fromEntries(await Promise.all(roles.map(async (r) => [r, await login(t.app, team.members[r].email)] as const))) as Record<Role, string>;
    stranger = await login(t.app, other.members.admin.email);
    dead = await deadSessions();
  });

  it('answers public routes the same with no session, a dead one, any role or another workspace', async () => {
    let checked = 0;
    for (const route of routesOf('open')) {
      const { status } = access[keyOf(route)] as { status: number };
      // Fresh sessions per route: logout (a public route) ends the caller's own session.
      const live = await freshSessions();
      const subjects: Record<string, string | undefined> = { 'no session': undefined, ...dead, ...live };
      for (const [who, cookie] of Object.entries(subjects)) {
        const res = await t.app.inject({ method: route.method as 'GET', url: fill(route.url, {}), headers: cookie ? { cookie } : {}, payload: bodyFor(route.method) });
        expectStatus(res, status, `${keyOf(route)} with ${who}`);
      }
      checked++;
    }
    expect(checked).toBe(Object.values(access).filter((a) => a.kind === 'open').length);
  });

  it('lets any live session call the signed-in routes and refuses no session or a dead one with 401', async () => {
    let checked = 0;
    for (const route of routesOf('signedIn')) {
      const { status } = access[keyOf(route)] as { status: number };
      const send = (cookie?: string) => t.app.inject({ method: route.method as 'GET', url: route.url, headers: cookie ? { cookie } : {}, payload: bodyFor(route.method) });
      expectStatus(await send(), 401, `${keyOf(route)} without a session`);
      expectStatus(await send('sb_session=forged.value'), 401, `${keyOf(route)} with a forged cookie`);
      for (const [who, cookie] of Object.entries(dead)) expectStatus(await send(cookie), 401, `${keyOf(route)} with ${who}`);
      // Fresh sessions per route: sign-out-everywhere ends the caller's own.
      for (const [who, cookie] of Object.entries(await freshSessions())) expectStatus(await send(cookie), status, `${keyOf(route)} as ${who}`);
      checked++;
    }
    expect(checked).toBe(Object.values(access).filter((a) => a.kind === 'signedIn').length);
  });

  // Every workspace route with every kind of caller: ~18 s on PostgreSQL with the suite's other files beside it,
  // more on a busier box; the default 30 s is a hang guard, not a budget.
  it('on workspace routes: 401 without a live session, 403 below the minimum role, the minimum through, 404 for strangers and former members', { timeout: 120_000 }, async () => {
    const { workspace, members } = team;
    const formerMember = await newAgent(t.db);
    await addMembership(t.db, workspace.id, formerMember.id, 'admin');
    const former = await login(t.app, formerMember.email);
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/workspaces/${workspace.id}/members/${formerMember.id}`, headers: { cookie: cookies.admin } });
    expect(removed.statusCode).toBe(200);

    // Fresh resources per request, so destructive routes never hit an already-deleted id.
    const params = (url: string) => resourcesIn(url, workspace.id, members.agent.id);

    let checked = 0;
    for (const route of routesOf('member')) {
      const key = keyOf(route);
      const { min, status } = access[key] as { min: Role; status: number };
      const send = async (cookie: string | undefined) => {
        const url = fill(route.url, await params(route.url));
        return t.app.inject({ method: route.method as 'GET', url, headers: cookie ? { cookie } : {}, payload: bodyFor(route.method) });
      };
      expectStatus(await send(undefined), 401, `${key} without a session`);
      for (const [who, cookie] of Object.entries(dead)) expectStatus(await send(cookie), 401, `${key} with ${who}`);
      for (const role of roles) {
        expectStatus(await send(cookies[role]), roles.indexOf(role) < roles.indexOf(min) ? 403 : status, `${key} as ${role}`);
      }
      expectStatus(await send(stranger), 404, `${key} as another workspace's admin`);
      expectStatus(await send(former), 404, `${key} as a removed admin`);
      checked++;
    }
    expect(checked).toBe(Object.values(access).filter((a) => a.kind === 'member').length);
  });

  it("404s another workspace's ids under the caller's own workspace, on every route that names one", async () => {
    const { workspace, members } = team;
    const other = await newTeam(t.db);
    const theirAdmin = await login(t.app, other.members.admin.email);
    const idParam = /:(?!workspaceId\b|surface\b)\w+/;
    let checked = 0;
    for (const route of routesOf('member').filter((r) => idParam.test(r.url))) {
      const key = keyOf(route);
      const p = await resourcesIn(route.url, workspace.id, members.agent.id);
      const url = fill(route.url, { ...p, workspaceId: String(other.workspace.id) });
      const res = await t.app.inject({ method: route.method as 'GET', url, headers: { cookie: theirAdmin }, payload: crossBodies[key] ?? bodyFor(route.method) });
      expectStatus(res, 404, `${key} by another workspace's admin in its own workspace with our ids`);
      checked++;
    }
    expect(checked).toBeGreaterThan(25);
    expect(Object.keys(crossBodies).filter((k) => !(k in access))).toEqual([]);
    // Nothing of ours was touched: no tag, note or role change reached workspace A.
    expect(await t.db.prisma.tag.count({ where: { name: 'taken' } })).toBe(0);
    expect(await t.db.prisma.note.count({ where: { body: { in: ['planted', 'rewritten'] } } })).toBe(0);
    expect(await t.db.prisma.membership.count({ where: { workspaceId: workspace.id, role: 'lead', agentId: { not: members.lead.id } } })).toBe(0);
  });
});


describe('authorization matrix: API keys', () => {
  const inboundBody = (channelUserId: string, externalId: string) => ({ channel: 'sms', channelUserId, message: { externalId, text: 'hello' } });

  it('refuses every inbound route without a live key of some workspace, before reading the body, and files what a key sends under its own workspace', async () => {
    const a = await newTeam(t.db);
    const b = await newTeam(t.db);
    const adminA = await login(t.app, a.members.admin.email);
    const keyA = await newApiKey(t.db, a.workspace.id);
    const keyB = await newApiKey(t.db, b.workspace.id);
    const revoked = await newApiKey(t.db, a.workspace.id, { revoked: true });
    const deleted = await newApiKey(t.db, a.workspace.id);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/workspaces/${a.workspace.id}/api-keys/${deleted.id}`, headers: { cookie: adminA } })).statusCode).toBe(200);
    const refused: Record<string, Record<string, string>> = {
      'no credential': {},
      'a malformed header': { authorization: `Basic ${keyA.key}` },
      'an unknown key': { authorization: 'Bearer sb_test_not_a_key_at_all' },
      'a revoked key': { authorization: `Bearer ${revoked.key}` },
      'a key deleted through the API': { authorization: `Bearer ${deleted.key}` },
      "an admin's session cookie": { cookie: adminA },
      'a session cookie with an unknown key': { cookie: adminA, authorization: 'Bearer sb_test_nope' },
    };

    let checked = 0;
    for (const route of routesOf('apiKey')) {
      const key = keyOf(route);
      const { status } = access[key] as { status: number };
      for (const [who, headers] of Object.entries(refused)) {
        // An invalid body too: a caller without a key learns nothing from validation.
        for (const payload of [inboundBody(`refused-${checked}`, `x-${who}`), { nonsense: true }]) {
          expectStatus(await t.app.inject({ method: route.method as 'POST', url: route.url, headers, payload }), 401, `${key} with ${who}`);
        }
      }
      // B's key with the channel user id of A's contact: B gets its own contact, A's is untouched.
      const contactA = await newContact(t.db, { workspaceId: a.workspace.id, channel: 'sms', phone: `+3361234${String(checked).padStart(4, '0')}` });
      const fromB = await t.app.inject({ method: route.method as 'POST', url: route.url, headers: { authorization: `Bearer ${keyB.key}` }, payload: inboundBody(contactA.channelUserId, `b-${checked}`) });
      expectStatus(fromB, status, `${key} with another workspace's key`);
      const filed = await t.db.prisma.contact.findUniqueOrThrow({ where: { id: Number(fromB.json().contactId) } });
      expect(filed.workspaceId).toBe(b.workspace.id);
      expect(await t.db.prisma.message.count({ where: { contactId: contactA.id } })).toBe(0);
      const fromA = await t.app.inject({ method: route.method as 'POST', url: route.url, headers: { authorization: `Bearer ${keyA.key}` }, payload: inboundBody(contactA.channelUserId, `a-${checked}`) });
      expectStatus(fromA, status, `${key} with its workspace's key`);
      expect(fromA.json().contactId).toBe(String(contactA.id));
      checked++;
    }
    expect(checked).toBe(Object.values(access).filter((x) => x.kind === 'apiKey').length);
    // Refused calls stored nothing.
    expect(await t.db.prisma.contact.count({ where: { channelUserId: { startsWith: 'refused-' } } })).toBe(0);
  });
});

describe('authorization matrix: web chat visitors', () => {
  let ipSeq = 0;
  // New sessions are limited per address: each request speaks from its own.
  const nextIp = () => `10.77.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;
  const visitorOf = async (workspaceId: number) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/widget/${workspaceId}/session`, payload: {}, remoteAddress: nextIp() });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.cookies.find((x) => x.name === 'sb_visitor')!;
    return { cookie: `sb_visitor=${c.value}`, visitorId: res.json().visitor.visitorId as string };
  };
  let msgSeq = 0;
  const bodyOf = (route: { method: string; url: string }) =>
    route.url.endsWith('/messages') ? { text: 'hello', clientMessageId: `authz-msg-${++msgSeq}` } : bodyFor(route.method);

  it("lets a visitor cookie act only in its own workspace's widget, and shows no one another visitor's chat", async () => {
    const a = await newTeam(t.db);
    const b = await newTeam(t.db);
    const adminA = await login(t.app, a.members.admin.email);
    let checked = 0;
    for (const route of routesOf('visitor')) {
      const key = keyOf(route);
      const { status } = access[key] as { status: Record<VisitorSubject, number> };
      // Fresh visitors per route: starting a session with another workspace's cookie creates one here.
      const own = await visitorOf(a.workspace.id);
      const neighbour = await visitorOf(a.workspace.id);
      await t.app.inject({ method: 'POST', url: `/api/widget/${a.workspace.id}/messages`, headers: { cookie: neighbour.cookie }, payload: { text: 'secret of the neighbour', clientMessageId: `neighbour-${checked}-x` }, remoteAddress: nextIp() });
      const foreign = await visitorOf(b.workspace.id);
      const subjects: Record<VisitorSubject, string | undefined> = {
        none: undefined,
        forged: 'sb_visitor=forged.value',
        otherWorkspace: foreign.cookie,
        agentSession: adminA,
        own: own.cookie,
      };
      for (const [who, cookie] of Object.entries(subjects) as [VisitorSubject, string | undefined][]) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: fill(route.url, { workspaceId: String(a.workspace.id) }),
          headers: cookie ? { cookie } : {},
          payload: bodyOf(route),
          remoteAddress: nextIp(),
        });
        expectStatus(res, status[who], `${key} with ${who}`);
        if (res.statusCode < 300) {
          // Whatever it answers is about the caller's own visitor (or a new one), never the neighbour's.
          expect(res.body, `${key} with ${who}`).not.toContain(neighbour.visitorId);
          expect(res.body, `${key} with ${who}`).not.toContain('secret of the neighbour');
          const v = (res.json() as { visitor?: { visitorId: string } | null }).visitor;
          if (who === 'own' && v) expect(v.visitorId).toBe(own.visitorId);
          if (who !== 'own' && v) expect(v.visitorId).not.toBe(own.visitorId);
        }
      }
      // An unknown workspace is a 404 whoever asks.
      const unknown = await t.app.inject({ method: route.method as 'GET', url: fill(route.url, { workspaceId: '999999' }), headers: { cookie: own.cookie }, payload: bodyOf(route), remoteAddress: nextIp() });
      expectStatus(unknown, 404, `${key} in an unknown workspace`);
      checked++;
    }
    expect(checked).toBe(Object.values(access).filter((x) => x.kind === 'visitor').length);
  });
});
