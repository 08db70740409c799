import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf, login, setupApp, type TestApp } from './helper.ts';
import { DEFAULT_PASSWORD, newAgent, newTeam } from './factories.ts';
import { connected, listen, socketFor } from './support/sockets.ts';

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

describe('sign out everywhere and password change', () => {
  let url: string;
  beforeAll(async () => {
    url = await listen(t.app);
  });
  const me = (cookie: string) => t.app.inject({ url: '/api/auth/me', headers: { cookie } }).then((r) => r.statusCode);

  it('POST /api/auth/logout-all ends every session of the agent, this one included, and drops their sockets', async () => {
    const agent = await newAgent(t.db);
    const laptop = await login(t.app, agent.email);
    const phone = await login(t.app, agent.email);
    const other = await login(t.app, (await newAgent(t.db)).email);
    const socket = socketFor(url, phone);
    await connected(socket);
    const ended = new Promise<{ reason: string }>((r) => socket.once('session:ended', r));

    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: { cookie: laptop } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ended: 2 });
    expect((await ended).reason).toBe('logout');
    expect([await me(laptop), await me(phone), await me(other)]).toEqual([401, 401, 200]);
    socket.close();
  });

  it('POST /api/auth/password checks the current password, ends the other sessions and keeps this one', async () => {
    const agent = await newAgent(t.db);
    const here = await login(t.app, agent.email);
    const elsewhere = await login(t.app, agent.email);
    const socket = socketFor(url, elsewhere);
    await connected(socket);
    const ended = new Promise<{ reason: string }>((r) => socket.once('session:ended', r));
    const change = (body: object) => t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: here }, payload: body });

    const wrong = await change({ currentPassword: 'not it', newPassword: 'a-new-password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details[0].path).toBe('currentPassword');
    const short = await change({ currentPassword: DEFAULT_PASSWORD, newPassword: 'short' });
    expect(short.json().details[0].path).toBe('newPassword');
    expect(await me(elsewhere)).toBe(200); // refused changes end nothing

    const ok = await change({ currentPassword: DEFAULT_PASSWORD, newPassword: 'a-new-password' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ended: 1 });
    expect((await ended).reason).toBe('revoked');
    expect([await me(here), await me(elsewhere)]).toEqual([200, 401]);
    const signIn = (password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: agent.email, password } }).then((r) => r.statusCode);
    expect(await signIn(DEFAULT_PASSWORD)).toBe(401);
    expect(await signIn('a-new-password')).toBe(200);
    socket.close();
  });
});
