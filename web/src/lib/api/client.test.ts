import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Me } from '@switchboard/shared';

const goto = vi.fn(() => Promise.resolve());
vi.mock('$app/navigation', () => ({ goto }));

const { ApiError, request } = await import('./client');

const me = {
  agent: { id: '1', email: 'agent@demo.test', name: 'Alex Agent', avatarUrl: null },
  memberships: [{ workspaceId: '7', role: 'agent', name: 'Demo' }],
};

function answer(status: number, body?: unknown) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return vi.fn(() => Promise.resolve(new Response(text || null, { status })));
}

beforeEach(() => {
  vi.stubGlobal('location', { pathname: '/w/7/contacts', search: '?q=x' });
  goto.mockClear();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('request', () => {
  it('sends JSON with the session cookie and returns the parsed answer', async () => {
    const fetch = answer(200, me);
    vi.stubGlobal('fetch', fetch);
    await expect(request('/api/auth/login', { method: 'POST', body: { email: 'a@b.co' }, schema: Me })).resolves.toEqual(me);
    expect(fetch).toHaveBeenCalledWith(
      '/api/auth/login',
      expect.objectContaining({
        method: 'POST',
        credentials: 'same-origin',
        body: '{"email":"a@b.co"}',
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
      }),
    );
  });

  it('throws the error body as an ApiError', async () => {
    const details = [{ path: 'email', message: 'must be an email address' }];
    vi.stubGlobal('fetch', answer(400, { code: 'validation', message: 'Invalid body', details }));
    const error = await request('/api/x', { schema: Me }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation', message: 'Invalid body', details });
  });

  it('names the status when a proxy answers with something else than the error body', async () => {
    vi.stubGlobal('fetch', answer(502, '<html>Bad gateway</html>'));
    await expect(request('/api/x')).rejects.toMatchObject({ status: 502, code: 'unavailable' });
  });

  it('reports an unreachable server as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(request('/api/x')).rejects.toMatchObject({ status: 0, code: 'unavailable' });
  });

  it('rejects an answer that breaks the contract', async () => {
    vi.stubGlobal('fetch', answer(200, { agent: { id: 'x' } }));
    await expect(request('/api/auth/me', { schema: Me })).rejects.toMatchObject({ code: 'internal' });
  });

  it('sends the agent to login, back to where they were, on 401', async () => {
    vi.stubGlobal('fetch', answer(401, { code: 'unauthorized', message: 'Sign in first' }));
    await expect(request('/api/x')).rejects.toMatchObject({ status: 401 });
    expect(goto).toHaveBeenCalledWith('/login?next=%2Fw%2F7%2Fcontacts%3Fq%3Dx', { replaceState: true });
  });

  it('leaves a 401 to the caller when asked (login)', async () => {
    vi.stubGlobal('fetch', answer(401, { code: 'unauthorized', message: 'Wrong email or password' }));
    await expect(request('/api/auth/login', { method: 'POST', redirectOn401: false })).rejects.toMatchObject({
      message: 'Wrong email or password',
    });
    expect(goto).not.toHaveBeenCalled();
  });
});
