import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupApp, type TestApp } from './helper.ts';
import { newAgent, newTeam } from './factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp();
});
afterAll(() => t.close());

describe('members', () => {
  it('lets an admin add a new agent who can then sign in with the given role', async () => {
    const { workspace, members } = await newTeam(t.db);
    const cookie = await login(t.app, members.admin.email);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/workspaces/${workspace.id}/members`,
      headers: { cookie },
      payload: { email: 'New.Person@Example.test', name: 'New Person', role: 'supervisor', password: 'longenough' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'new.person@example.test', role: 'supervisor', name: 'New Person' });
    const theirCookie = await login(t.app, 'new.person@example.test', 'longenough');
    const me = (await t.app.inject({ url: '/api/auth/me', headers: { cookie: theirCookie } })).json();
    expect(me.memberships).toEqual([{ workspaceId: String(workspace.id), role: 'supervisor', name: workspace.name }]);
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { workspaceId: workspace.id, action: 'member.added' } });
    expect(audit).toMatchObject({ actorKind: 'agent', actorId: members.admin.id });
  });

  it('adds an existing agent without touching their password, and 409s a second time', async () => {
    const { workspace, members } = await newTeam(t.db);
    const outsider = await newAgent(t.db);
    const cookie = await login(t.app, members.admin.email);
    const payload = { email: outsider.email, name: 'Ignored', role: 'agent', password: 'another-password' };
    const first = await t.app.inject({ method: 'POST', url: `/api/workspaces/${workspace.id}/members`, headers: { cookie }, payload });
    expect(first.statusCode).toBe(201);
    await login(t.app, outsider.email); // the original password still works
    const second = await t.app.inject({ method: 'POST', url: `/api/workspaces/${workspace.id}/members`, headers: { cookie }, payload });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'conflict', details: { path: 'email' } });
  });

  it('validates the body and names every bad field', async () => {
    const { workspace, members } = await newTeam(t.db);
    const cookie = await login(t.app, members.admin.email);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/workspaces/${workspace.id}/members`,
      headers: { cookie },
      payload: { email: 'x', name: '', role: 'owner', password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['email', 'name', 'password', 'role']);
    expect(await t.db.prisma.agent.count({ where: { email: 'x' } })).toBe(0);
  });

  it('changes a role, and refuses to demote or remove the last admin', async () => {
    const { workspace, members } = await newTeam(t.db);
    const cookie = await login(t.app, members.admin.email);
    const url = (id: number) => `/api/workspaces/${workspace.id}/members/${id}`;
    const promoted = await t.app.inject({ method: 'PATCH', url: url(members.agent.id), headers: { cookie }, payload: { role: 'lead' } });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json().role).toBe('lead');
    const demote = await t.app.inject({ method: 'PATCH', url: url(members.admin.id), headers: { cookie }, payload: { role: 'agent' } });
    expect(demote.statusCode).toBe(409);
    const remove = await t.app.inject({ method: 'DELETE', url: url(members.admin.id), headers: { cookie } });
    expect(remove.statusCode).toBe(409);
    const m = await t.db.prisma.membership.findUnique({ where: { workspaceId_agentId: { workspaceId: workspace.id, agentId: members.admin.id } } });
    expect(m?.role).toBe('admin');
    const missing = await t.app.inject({ method: 'PATCH', url: url(999999), headers: { cookie }, payload: { role: 'lead' } });
    expect(missing.statusCode).toBe(404);
  });

  it('lists members for every role, but only admins change them', async () => {
    const { workspace, members } = await newTeam(t.db);
    const cookie = await login(t.app, members.agent.email);
    const list = await t.app.inject({ url: `/api/workspaces/${workspace.id}/members`, headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json().map((m: { role: string }) => m.role).sort()).toEqual(['admin', 'agent', 'lead', 'supervisor']);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/workspaces/${workspace.id}/members/${members.agent.id}`,
      headers: { cookie },
      payload: { role: 'admin' },
    });
    expect(patch.statusCode).toBe(403);
  });
});

describe('API keys', () => {
  it('shows a key once, stores only its hash, lists it without the secret and revokes it', async () => {
    const { workspace, members } = await newTeam(t.db);
    const cookie = await login(t.app, members.admin.email);
    const base = `/api/workspaces/${workspace.id}/api-keys`;
    const created = await t.app.inject({ method: 'POST', url: base, headers: { cookie }, payload: { name: 'Messenger bridge' } });
    expect(created.statusCode).toBe(201);
    const { id, key, prefix } = created.json();
    expect(key).toMatch(/^sb_[\w-]{40,}$/);
    expect(key.startsWith(prefix)).toBe(true);

    const stored = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { id: Number(id) } });
    expect(stored.keyHash).not.toContain(key);
    expect(JSON.stringify(stored)).not.toContain(key);

    const list = await t.app.inject({ url: base, headers: { cookie } });
    expect(list.json()).toEqual([expect.objectContaining({ id, name: 'Messenger bridge', prefix, revokedAt: null })]);
    expect(list.body).not.toContain(key);

    const revoked = await t.app.inject({ method: 'DELETE', url: `${base}/${id}`, headers: { cookie } });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    const actions = (await t.db.prisma.auditEvent.findMany({ where: { workspaceId: workspace.id }, orderBy: { id: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it("404s another workspace's key", async () => {
    const a = await newTeam(t.db);
    const b = await newTeam(t.db);
    const bCookie = await login(t.app, b.members.admin.email);
    const key = (await t.app.inject({ method: 'POST', url: `/api/workspaces/${b.workspace.id}/api-keys`, headers: { cookie: bCookie }, payload: { name: 'k' } })).json();
    const aCookie = await login(t.app, a.members.admin.email);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/workspaces/${a.workspace.id}/api-keys/${key.id}`, headers: { cookie: aCookie } });
    expect(res.statusCode).toBe(404);
    const stored = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { id: Number(key.id) } });
    expect(stored.revokedAt).toBeNull();
  });
});
