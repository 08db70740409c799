import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A stand-in for the socket.io client: records what the console emits, lets the test play the server. */
class FakeSocket {
  connected = false;
  active = true;
  emitted: { name: string; payload: unknown }[] = [];
  #handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  #managerHandlers = new Map<string, ((...args: unknown[]) => void)[]>();
  connect = vi.fn();
  io = {
    on: (name: string, fn: (...args: unknown[]) => void) => this.#managerHandlers.set(name, [...(this.#managerHandlers.get(name) ?? []), fn]),
    removeAllListeners: () => this.#managerHandlers.clear(),
  };
  on(name: string, fn: (...args: unknown[]) => void) {
    this.#handlers.set(name, [...(this.#handlers.get(name) ?? []), fn]);
    return this;
  }
  emit(name: string, payload: unknown, ack?: (a: unknown) => void) {
    this.emitted.push({ name, payload });
    ack?.({ ok: true, data: { replayed: 0 } });
    return this;
  }
  get volatile() {
    return this;
  }
  timeout() {
    return { emitWithAck: async (name: string, payload: unknown) => (this.emitted.push({ name, payload }), { ok: true, data: null }) };
  }
  removeAllListeners() {
    this.#handlers.clear();
  }
  disconnect() {
    this.connected = false;
  }
  /** The server side: fire an event at the console. */
  fire(name: string, ...args: unknown[]) {
    if (name === 'connect') this.connected = true;
    for (const fn of this.#handlers.get(name) ?? []) fn(...args);
  }
  hellos() {
    return this.emitted.filter((e) => e.name === 'sync:hello').map((e) => (e.payload as { since: Record<string, number> }).since);
  }
}

let socket: FakeSocket;
vi.mock('socket.io-client', () => ({ io: () => (socket = new FakeSocket()) }));

const storage = new Map<string, string>();
vi.stubGlobal('sessionStorage', {
  getItem: (k: string) => storage.get(k) ?? null,
  setItem: (k: string, v: string) => void storage.set(k, v),
});

const { realtime } = await import('./realtime');
const { connection } = await import('./connection/connection.svelte');

const envelope = (eventId: number, data: unknown = { id: String(eventId) }) => ({ eventId, workspaceId: '1', at: '2026-01-01T00:00:00.000Z', data });

beforeEach(() => {
  vi.useFakeTimers();
  storage.clear();
});
afterEach(() => {
  realtime.stop();
  vi.useRealTimers();
});

function start(cursors?: Record<string, number>) {
  if (cursors) storage.set('switchboard:events:5', JSON.stringify(cursors));
  const onSignedOut = vi.fn();
  realtime.start({ agentId: '5', onSignedOut });
  const seen: { id: string; replayed: boolean }[] = [];
  const handlers = {
    'conversation:upserted': vi.fn((c: { id: string }, meta: { replayed: boolean }) => seen.push({ id: c.id, replayed: meta.replayed })),
    resync: vi.fn(),
    connected: vi.fn(),
  };
  const off = realtime.subscribe('1', handlers as never);
  return { onSignedOut, seen, handlers, off };
}

describe('realtime', () => {
  it('says hello with the saved place on every connect, and tells managers it connected', () => {
    const { handlers } = start({ 1: 40 });
    socket.fire('connect');
    expect(socket.hellos()).toEqual([{ 1: 40 }]);
    expect(handlers.connected).toHaveBeenCalledOnce();
    expect(connection.status).toBe('live');
  });

  it('applies each event once and in order, asks again to fill a gap, and marks catch-up as replayed', () => {
    const { seen } = start({ 1: 10 });
    socket.fire('connect');
    socket.fire('conversation:upserted', envelope(11));
    socket.fire('sync:ready', { workspaceId: '1', eventId: 11 });
    socket.fire('conversation:upserted', envelope(11));
    socket.fire('conversation:upserted', envelope(13));
    expect(socket.hellos().at(-1)).toEqual({ 1: 11 });
    socket.fire('conversation:upserted', envelope(12));
    socket.fire('conversation:upserted', envelope(13));
    expect(seen).toEqual([
      { id: '11', replayed: true },
      { id: '12', replayed: false },
      { id: '13', replayed: false },
    ]);
    vi.advanceTimersByTime(1000);
    expect(JSON.parse(storage.get('switchboard:events:5')!)).toEqual({ 1: 13 });
  });

  it('on resync, managers reload and events carry on from the new place', () => {
    const { seen, handlers } = start({ 1: 10 });
    socket.fire('connect');
    socket.fire('sync:resync', { workspaceId: '1', eventId: 500, reason: 'too old' });
    expect(handlers.resync).toHaveBeenCalledOnce();
    socket.fire('conversation:upserted', envelope(499));
    socket.fire('conversation:upserted', envelope(501));
    expect(seen.map((s) => s.id)).toEqual(['501']);
  });

  it('stops listening when unsubscribed', () => {
    const { seen, off } = start({ 1: 10 });
    socket.fire('connect');
    off();
    socket.fire('conversation:upserted', envelope(11));
    expect(seen).toEqual([]);
  });

  it('goes to sign-in when the session ends, and reconnects after a shutdown or a server-side drop', () => {
    const first = start();
    socket.fire('connect');
    socket.fire('session:ended', { reason: 'shutdown' });
    socket.fire('disconnect', 'io server disconnect');
    expect(connection.status).toBe('reconnecting');
    vi.advanceTimersByTime(2000);
    expect(socket.connect).toHaveBeenCalledOnce();
    expect(first.onSignedOut).not.toHaveBeenCalled();

    socket.fire('session:ended', { reason: 'logout' });
    expect(first.onSignedOut).toHaveBeenCalledOnce();
  });

  it('sends commands with an ack and typing without one', async () => {
    start();
    socket.fire('connect');
    await expect(realtime.request('conversation:open', { workspaceId: '1', conversationId: '3' })).resolves.toEqual({ ok: true, data: null });
    realtime.signal('typing:set', { workspaceId: '1', conversationId: '3', typing: true });
    expect(socket.emitted.map((e) => e.name)).toEqual(['sync:hello', 'conversation:open', 'typing:set']);
  });
});
