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

const envelope = (eventId: number, data: unknown = { id: String(eventId) }, workspaceId = '1') => ({ eventId, workspaceId, at: '2026-01-01T00:00:00.000Z', data });
/** One event of an `events` batch, as the server sends persisted broadcasts. */
const upserted = (eventId: number, workspaceId = '1') => ['conversation:upserted', envelope(eventId, { id: String(eventId) }, workspaceId)] as const;

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
    socket.fire('events', [upserted(11)]);
    socket.fire('sync:ready', { workspaceId: '1', eventId: 11 });
    socket.fire('events', [upserted(11)]);
    socket.fire('events', [upserted(13)]);
    expect(socket.hellos().at(-1)).toEqual({ 1: 11 });
    socket.fire('events', [upserted(12)]);
    socket.fire('events', [upserted(13)]);
    expect(seen).toEqual([
      { id: '11', replayed: true },
      { id: '12', replayed: false },
      { id: '13', replayed: false },
    ]);
    vi.advanceTimersByTime(1000);
    expect(JSON.parse(storage.get('switchboard:events:5')!)).toEqual({ 1: 13 });
  });

  it("hands a batch's events to the handlers one by one, in order, across names", () => {
    start({ 1: 10 });
    socket.fire('connect');
    socket.fire('sync:ready', { workspaceId: '1', eventId: 10 });
    const calls: string[] = [];
    realtime.subscribe('1', {
      'contact:updated': (d, meta) => calls.push(`contact ${(d as unknown as { id: string }).id} #${meta.eventId}`),
      'segment:membership': (d, meta) => calls.push(`segment ${(d as unknown as { id: string }).id} #${meta.eventId}`),
      'conversation:upserted': (_d, meta) => calls.push(`conversation #${meta.eventId}`),
      'message:created': (_d, meta) => calls.push(`message #${meta.eventId}`),
    });
    socket.fire('events', [
      ['contact:updated', envelope(11)],
      ['segment:membership', envelope(12)],
      ['conversation:upserted', envelope(13)],
      ['message:created', envelope(14)],
    ]);
    expect(calls).toEqual(['contact 11 #11', 'segment 12 #12', 'conversation #13', 'message #14']);
    expect(socket.hellos()).toHaveLength(1);
  });

  it('applies a replayed batch that overlaps live events once, and fills a hole from a later batch', () => {
    const { seen } = start({ 1: 10 });
    socket.fire('connect');
    socket.fire('sync:ready', { workspaceId: '1', eventId: 10 });
    // Live: 11, then 14 behind a hole (12 and 13 still on their way): held, and a hello asks for them.
    socket.fire('events', [upserted(11), upserted(14)]);
    expect(seen.map((s) => s.id)).toEqual(['11']);
    expect(socket.hellos()).toEqual([{ 1: 10 }, { 1: 11 }]);
    // The replay repeats 11 and 14 around the missing ones: each id applies once, in order.
    socket.fire('events', [upserted(11), upserted(12), upserted(13), upserted(14), upserted(15)]);
    socket.fire('sync:ready', { workspaceId: '1', eventId: 15 });
    socket.fire('events', [upserted(15), upserted(16)]);
    expect(seen.map((s) => s.id)).toEqual(['11', '12', '13', '14', '15', '16']);
  });

  it("keeps the workspaces of one batch apart: each workspace's subscribers get its own events", () => {
    const { seen } = start({ 1: 10, 2: 20 });
    const other: string[] = [];
    realtime.subscribe('2', { 'conversation:upserted': (c) => other.push(c.id) });
    socket.fire('connect');
    socket.fire('sync:ready', { workspaceId: '1', eventId: 10 });
    socket.fire('sync:ready', { workspaceId: '2', eventId: 20 });
    socket.fire('events', [upserted(11), upserted(21, '2'), upserted(12)]);
    expect(seen.map((s) => s.id)).toEqual(['11', '12']);
    expect(other).toEqual(['21']);
  });

  it('on resync, managers reload and events carry on from the new place', () => {
    const { seen, handlers } = start({ 1: 10 });
    socket.fire('connect');
    socket.fire('sync:resync', { workspaceId: '1', eventId: 500, reason: 'too old' });
    expect(handlers.resync).toHaveBeenCalledOnce();
    socket.fire('events', [upserted(499)]);
    socket.fire('events', [upserted(501)]);
    expect(seen.map((s) => s.id)).toEqual(['501']);
  });

  it('stops listening when unsubscribed', () => {
    const { seen, off } = start({ 1: 10 });
    socket.fire('connect');
    off();
    socket.fire('events', [upserted(11)]);
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
