import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf, login, setupApp, type TestApp } from './helper.ts';
import { DEFAULT_PASSWORD, newAgent, newTeam } from './factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp({ LOGIN_RATE_LIMIT: '5' });
});
afterAll(() => t.close());

describe('POST /api/auth/login', () => {
  it('rejects a wrong password and an unknown email alike with 401', async () => {
    const agent = await newAgent(t.db);
    for (const payload of [
      { email: agent.email, password: 'wrong-password' },
      { email: 'nobody@example.test', password: DEFAULT_PASSWORD },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'unauthorized', message: 'Wrong email or password' });
      expect(res.cookies.find((c) => c.name === 'sb_session')).toBeUndefined();
    }
  });

  it('names the bad field of a malformed body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'not-an-email', password: 'x' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation');
    expect(body.details).toEqual([{ path: 'email', message: expect.any(String) }]);
  });

  it('rejects malformed JSON with a validation error, not a crash', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation');
  });

  it('logs in with an HTTP-only, SameSite=Lax cookie and returns the agent with memberships', async () => {
    const { workspace, members } = await newTeam(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: members.lead.email.toUpperCase(), password: DEFAULT_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'sb_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    expect(res.json()).toEqual({
      agent: { id: String(members.lead.id), email: members.lead.email, name: expect.any(String), avatarUrl: null },
      memberships: [{ workspaceId: String(workspace.id), role: 'lead', name: workspace.name }],
    });
    // Only a hash of the token is stored.
    const token = cookie.value.split('.')[0]!;
    const rows = await t.db.prisma.session.findMany({ where: { agentId: members.lead.id } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tokenHash !== token && r.tokenHash.length === 64)).toBe(true);
  });

  it('issues a new session on every login and ends the one it replaces', async () => {
    const agent = await newAgent(t.db);
    const first = await login(t.app, agent.email);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: first },
      payload: { email: agent.email, password: DEFAULT_PASSWORD },
    });
    const second = cookieOf(res);
    expect(second).not.toBe(first);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: first } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: second } })).statusCode).toBe(200);
  });

  it('rate-limits repeated attempts for one address and email with 429', async () => {
    const agent = await newAgent(t.db);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: agent.email, password: 'nope' } });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json()).toMatchObject({ code: 'rate_limited' });
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // The right password is refused too while limited: the limit is what stops guessing.
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: agent.email, password: DEFAULT_PASSWORD } });
    expect(res.statusCode).toBe(429);
  });
});

describe('sessions', () => {
  it('GET /api/auth/me answers for a signed-in agent and 401s for a forged or missing cookie', async () => {
    const agent = await newAgent(t.db);
    const cookie = await login(t.app, agent.email);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().agent.email).toBe(agent.email);

    const forged = cookie.replace(/=(.)/, (_m, c: string) => `=${c === 'a' ? 'b' : 'a'}`);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: forged } })).statusCode).toBe(401);
    const none = await t.app.inject({ url: '/api/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'unauthorized' });
  });

  it('logout invalidates the session server-side, not just the cookie', async () => {
    const agent = await newAgent(t.db);
    const cookie = await login(t.app, agent.email);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    // Replaying the old cookie after logout must fail.
    const again = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(again.statusCode).toBe(401);
  });

  it('refuses an expired session on its next request, and a membership removed since login at once', async () => {
    const team = await newTeam(t.db);
    const cookie = await login(t.app, team.members.agent.email);
    const contacts = `/api/workspaces/${team.workspace.id}/contacts`;
    expect((await t.app.inject({ url: contacts, headers: { cookie } })).statusCode).toBe(200);
    await t.db.prisma.membership.deleteMany({ where: { workspaceId: team.workspace.id, agentId: team.members.agent.id } });
    expect((await t.app.inject({ url: contacts, headers: { cookie } })).statusCode).toBe(404);

    await t.db.prisma.session.updateMany({ where: { agentId: team.members.agent.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });
});
