import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupApp, type TestApp } from './helper.ts';
import { newAgent, newTeam } from './factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp();
});
afterAll(() => t.close());

/** Fills route params with plausible ids. */
const concrete = (url: string) => url.replace(/:workspaceId/g, '1').replace(/:(\w+)/g, '1');

describe('route table', () => {
  it('requires a session on every /api route that is not explicitly public', async () => {
    const apiRoutes = t.app.routeTable.filter((r) => r.url.startsWith('/api/'));
    expect(apiRoutes.length).toBeGreaterThan(8);
    const publicRoutes = apiRoutes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual([
      'GET /api/health',
      'GET /api/widget/:workspaceId/conversation',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/inbound/messages',
      'POST /api/widget/:workspaceId/messages',
      'POST /api/widget/:workspaceId/session',
    ]);
    for (const route of apiRoutes.filter((r) => !r.public)) {
      const res = await t.app.inject({ method: route.method as 'GET', url: concrete(route.url), payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json().code).toBe('unauthorized');
    }
  });
});

describe('workspace role guard', () => {
  it('gives 403 to lower roles on admin routes, naming the role needed', async () => {
    const { workspace, members } = await newTeam(t.db);
    for (const role of ['agent', 'supervisor', 'lead'] as const) {
      const cookie = await login(t.app, members[role].email);
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/workspaces/${workspace.id}/api-keys`,
        headers: { cookie },
        payload: { name: 'zapier' },
      });
      expect(res.statusCode, role).toBe(403);
      expect(res.json()).toMatchObject({ code: 'forbidden', message: expect.stringContaining('admin') });
    }
    const admin = await login(t.app, members.admin.email);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/workspaces/${workspace.id}/api-keys`,
      headers: { cookie: admin },
      payload: { name: 'zapier' },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('answers 404 for another workspace and for one that does not exist, even to its admin elsewhere', async () => {
    const a = await newTeam(t.db);
    const b = await newTeam(t.db);
    const cookie = await login(t.app, a.members.admin.email);
    for (const url of [`/api/workspaces/${b.workspace.id}`, `/api/workspaces/${b.workspace.id}/members`, '/api/workspaces/999999/members']) {
      const res = await t.app.inject({ url, headers: { cookie } });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    // A body that would fail validation still gets 404: strangers learn nothing.
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/workspaces/${b.workspace.id}/members`,
      headers: { cookie },
      payload: { email: 'bad' },
    });
    expect(res.statusCode).toBe(404);
  });

  it('stops working the moment a member is removed', async () => {
    const { workspace, members } = await newTeam(t.db);
    const agentCookie = await login(t.app, members.agent.email);
    const adminCookie = await login(t.app, members.admin.email);
    expect((await t.app.inject({ url: `/api/workspaces/${workspace.id}`, headers: { cookie: agentCookie } })).statusCode).toBe(200);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/workspaces/${workspace.id}/members/${members.agent.id}`,
      headers: { cookie: adminCookie },
    });
    expect(del.statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/workspaces/${workspace.id}`, headers: { cookie: agentCookie } })).statusCode).toBe(404);
  });

  it('lets an agent with no workspace see an empty list, and create one as its admin', async () => {
    const agent = await newAgent(t.db);
    const cookie = await login(t.app, agent.email);
    expect((await t.app.inject({ url: '/api/workspaces', headers: { cookie } })).json()).toEqual([]);
    const created = await t.app.inject({ method: 'POST', url: '/api/workspaces', headers: { cookie }, payload: { name: '  Beta Shop ' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Beta Shop', role: 'admin' });
    const list = (await t.app.inject({ url: '/api/workspaces', headers: { cookie } })).json();
    expect(list).toEqual([expect.objectContaining({ id: created.json().id, role: 'admin' })]);
    const audit = await t.db.prisma.auditEvent.findMany({ where: { workspaceId: Number(created.json().id) } });
    expect(audit.map((a) => a.action)).toEqual(['workspace.created']);
  });
});
