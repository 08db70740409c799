import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  BroadcastName,
  BroadcastPayloads,
  ClientToServerEvents,
  Envelope,
  ServerToClientEvents,
} from '@switchboard/shared';
import { connection } from './connection/connection.svelte';
import { loadCursors, saveCursors, type Cursors } from './connection/cursors';
import { Sequencer } from './connection/sequencer';

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface EventMeta {
  eventId: number;
  at: string;
  /** Delivered while catching up after a (re)connect, not as it happened. */
  replayed: boolean;
}

type Signal<K extends 'typing:updated' | 'presence:updated'> = Parameters<ServerToClientEvents[K]>[0];

/** What a manager listens to in one workspace. Every handler is optional. */
export type Handlers = {
  [K in BroadcastName]?: (data: BroadcastPayloads[K], meta: EventMeta) => void;
} & {
  'typing:updated'?: (event: Signal<'typing:updated'>) => void;
  'presence:updated'?: (event: Signal<'presence:updated'>) => void;
  /** Events were lost beyond what the server keeps: reload from REST. */
  resync?: () => void;
  /** After every (re)connect: rooms are rebuilt from memberships only, so re-join and re-announce. */
  connected?: () => void;
};

type Command = keyof ClientToServerEvents;
type PayloadOf<K extends Command> = Parameters<ClientToServerEvents[K]>[0];
type AckOf<K extends Command> = Parameters<ClientToServerEvents[K]>[1] extends ((a: infer A) => void) | undefined ? A : never;

interface Item {
  name: BroadcastName;
  eventId: number;
  envelope: Envelope<unknown>;
}

export interface StartOptions {
  agentId: string;
  /** The session ended (logout elsewhere, revoked, expired): the console goes to the sign-in page. */
  onSignedOut: () => void;
}

const broadcastNames = [
  'conversation:upserted',
  'message:created',
  'contact:updated',
  'contact:deleted',
  'segment:membership',
  'job:progress',
] as const satisfies readonly BroadcastName[];

/** How long a command waits for its ack before it counts as failed. */
const ACK_TIMEOUT_MS = 10_000;

/**
 * Owns the console's one socket: connects with the session cookie, catches up after every
 * (re)connect (`sync:hello` with the last eventId applied per workspace), puts each workspace's
 * broadcasts in order exactly once, and hands them to the managers subscribed to that workspace.
 */
class Realtime {
  #socket: AppSocket | null = null;
  #agentId: string | null = null;
  #onSignedOut: (() => void) | null = null;
  #subs = new Map<string, Set<Handlers>>();
  #sequencers = new Map<string, Sequencer<Item>>();
  #cursors: Cursors = {};
  /** Workspaces whose `sync:ready` has come since the last connect; events of the others are catch-up. */
  #synced = new Set<string>();
  #helloInFlight = false;
  #helloAgain = false;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #signedOut = false;

  get connected(): boolean {
    return this.#socket?.connected ?? false;
  }

  /** Connects once per agent; calling again with the same agent does nothing. */
  start({ agentId, onSignedOut }: StartOptions): void {
    this.#onSignedOut = onSignedOut;
    if (this.#socket && this.#agentId === agentId) return;
    this.stop();
    this.#agentId = agentId;
    this.#signedOut = false;
    this.#cursors = loadCursors(agentId);
    this.#sequencers.clear();
    connection.reset();

    const socket: AppSocket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    this.#socket = socket;

    socket.on('connect', () => {
      connection.connected();
      this.#synced.clear();
      this.#helloInFlight = false;
      this.#helloAgain = false;
      this.#hello();
      for (const set of this.#subs.values()) for (const h of set) h.connected?.();
    });
    socket.on('disconnect', (reason) => {
      if (this.#signedOut) return;
      connection.lost();
      // The server dropped us on purpose without saying why the session ended (or a restart raced the
      // goodbye): the client does not retry on its own after that, so come back after a short pause.
      if (reason === 'io server disconnect') this.#reconnectSoon();
    });
    socket.on('connect_error', (error) => {
      if (this.#signedOut) return;
      // A refused handshake (no valid session) is final for the client; anything else it retries.
      if (!socket.active) {
        if (error.message === 'unauthorized') this.#endSession();
        else this.#reconnectSoon();
      }
    });
    socket.io.on('reconnect_attempt', (attempt) => connection.retrying(attempt, browserOnline()));

    socket.on('session:ended', ({ reason }) => {
      if (reason === 'shutdown') return; // the transport closes next; the client reconnects with backoff
      this.#endSession();
    });
    socket.on('sync:ready', ({ workspaceId, eventId }) => {
      this.#synced.add(workspaceId);
      const step = this.#sequencer(workspaceId).ready(eventId);
      this.#run(workspaceId, step.apply);
      this.#saveSoon();
      if (step.gap) this.#hello();
    });
    socket.on('sync:resync', ({ workspaceId, eventId }) => {
      this.#synced.add(workspaceId);
      const step = this.#sequencer(workspaceId).resync(eventId);
      this.#saveSoon();
      for (const h of this.#handlers(workspaceId)) h.resync?.();
      this.#run(workspaceId, step.apply);
    });

    for (const name of broadcastNames) {
      // One listener per name; the typed map above guarantees the envelope's shape per name.
      (socket as unknown as Socket).on(name, (envelope: Envelope<unknown>) => this.#receive(name, envelope));
    }
    socket.on('typing:updated', (event) => {
      for (const h of this.#handlers(event.workspaceId)) h['typing:updated']?.(event);
    });
    socket.on('presence:updated', (event) => {
      for (const h of this.#handlers(event.workspaceId)) h['presence:updated']?.(event);
    });

    globalThis.addEventListener?.('online', this.#online);
    globalThis.addEventListener?.('offline', this.#offline);
  }

  stop(): void {
    clearTimeout(this.#reconnectTimer);
    this.#flushSave();
    globalThis.removeEventListener?.('online', this.#online);
    globalThis.removeEventListener?.('offline', this.#offline);
    this.#socket?.removeAllListeners();
    this.#socket?.io.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
    this.#agentId = null;
  }

  /** Listens to one workspace's events until the returned function is called. */
  subscribe(workspaceId: string, handlers: Handlers): () => void {
    let set = this.#subs.get(workspaceId);
    if (!set) this.#subs.set(workspaceId, (set = new Set()));
    set.add(handlers);
    return () => {
      set.delete(handlers);
      if (set.size === 0) this.#subs.delete(workspaceId);
    };
  }

  /**
   * Sends a command and resolves with its ack; never rejects. Without an answer in time (offline, a
   * restart) it resolves `unavailable` — commands that must not run twice carry an idempotency key.
   */
  async request<K extends Exclude<Command, 'typing:set' | 'sync:hello'>>(name: K, payload: PayloadOf<K>): Promise<AckOf<K>> {
    const socket = this.#socket;
    if (!socket) return unavailable('Not connected.') as AckOf<K>;
    // The contract types each name's ack; a generic name defeats the client's overloads, hence one cast.
    const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(n: K, p: PayloadOf<K>): Promise<AckOf<K>> };
    try {
      return await timed.emitWithAck(name, payload);
    } catch {
      return unavailable('The server did not answer in time. Check the connection and try again.') as AckOf<K>;
    }
  }

  /** Fire and forget, dropped while disconnected (typing: a stale "is typing" is worse than none). */
  signal(name: 'typing:set', payload: PayloadOf<'typing:set'>): void {
    this.#socket?.volatile.emit(name, payload);
  }

  #receive(name: BroadcastName, envelope: Envelope<unknown>): void {
    if (!envelope || typeof envelope.eventId !== 'number' || typeof envelope.workspaceId !== 'string') return;
    const ws = envelope.workspaceId;
    const step = this.#sequencer(ws).receive({ name, eventId: envelope.eventId, envelope });
    this.#run(ws, step.apply);
    if (step.apply.length) this.#saveSoon();
    if (step.gap) this.#hello();
  }

  #run(workspaceId: string, items: Item[]): void {
    if (!items.length) return;
    const handlers = [...this.#handlers(workspaceId)];
    const replayed = !this.#synced.has(workspaceId);
    for (const item of items) {
      const meta: EventMeta = { eventId: item.eventId, at: item.envelope.at, replayed };
      for (const h of handlers) {
        const fn = h[item.name] as ((data: unknown, meta: EventMeta) => void) | undefined;
        try {
          fn?.(item.envelope.data, meta);
        } catch (error) {
          // One manager's bug must not stop the others, nor the cursor.
          console.error(`realtime: ${item.name} handler failed`, error);
        }
      }
    }
  }

  /** Asks for everything after what was applied, per workspace. One at a time; a gap meanwhile asks again after. */
  #hello(): void {
    const socket = this.#socket;
    if (!socket?.connected) return;
    if (this.#helloInFlight) {
      this.#helloAgain = true;
      return;
    }
    this.#helloInFlight = true;
    const since: Record<string, number> = {};
    for (const [ws, id] of Object.entries(this.#cursors)) since[ws] = id;
    for (const [ws, s] of this.#sequencers) if (s.last !== null) since[ws] = s.last;
    // The ack comes after the whole replay (every workspace's events and sync:ready): the next hello may go.
    socket.emit('sync:hello', { since }, () => {
      this.#helloInFlight = false;
      if (this.#helloAgain) {
        this.#helloAgain = false;
        this.#hello();
      }
    });
  }

  #sequencer(workspaceId: string): Sequencer<Item> {
    let s = this.#sequencers.get(workspaceId);
    if (!s) this.#sequencers.set(workspaceId, (s = new Sequencer<Item>(this.#cursors[workspaceId] ?? null)));
    return s;
  }

  #handlers(workspaceId: string): Set<Handlers> {
    return this.#subs.get(workspaceId) ?? new Set();
  }

  #saveSoon(): void {
    this.#saveTimer ??= setTimeout(() => this.#flushSave(), 500);
  }

  #flushSave(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    if (!this.#agentId) return;
    for (const [ws, s] of this.#sequencers) if (s.last !== null) this.#cursors[ws] = s.last;
    saveCursors(this.#agentId, this.#cursors);
  }

  #reconnectSoon(): void {
    clearTimeout(this.#reconnectTimer);
    // Spread out so a restarted server is not hit by every console at the same instant.
    this.#reconnectTimer = setTimeout(() => this.#socket?.connect(), 500 + Math.random() * 1500);
  }

  #endSession(): void {
    if (this.#signedOut) return;
    this.#signedOut = true;
    const done = this.#onSignedOut;
    this.stop();
    done?.();
  }

  #online = () => {
    if (this.#socket && !this.#socket.connected && !this.#socket.active) this.#socket.connect();
  };

  #offline = () => {
    if (!this.#socket?.connected) connection.browserOffline();
  };
}

function browserOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

function unavailable(message: string): Ack<never> {
  return { ok: false, error: { code: 'unavailable', message } };
}

export const realtime = new Realtime();
