import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@switchboard/shared';
import { connection } from './connection/connection.svelte';
import { EventStream } from './connection/event-stream';
import { Subscriptions, type Handlers } from './connection/subscriptions';

export type { EventMeta, Handlers } from './connection/subscriptions';

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type Command = keyof ClientToServerEvents;
type PayloadOf<K extends Command> = Parameters<ClientToServerEvents[K]>[0];
type AckOf<K extends Command> = Parameters<ClientToServerEvents[K]>[1] extends ((a: infer A) => void) | undefined ? A : never;

export interface StartOptions {
  agentId: string;
  /** The session ended (logout elsewhere, revoked, expired): the console goes to the sign-in page. */
  onSignedOut: () => void;
}

/** How long a command waits for its ack before it counts as failed. */
const ACK_TIMEOUT_MS = 10_000;

/**
 * Owns the console's one socket: connects with the session cookie, reconnects, ends the session when
 * the server says so, and sends commands. What arrives goes through the agent's `EventStream` (in
 * order, exactly once, caught up after every (re)connect) to the managers subscribed to a workspace.
 */
class Realtime {
  #socket: AppSocket | null = null;
  #stream: EventStream | null = null;
  #agentId: string | null = null;
  #onSignedOut: (() => void) | null = null;
  #subs = new Subscriptions();
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
    connection.reset();

    const socket: AppSocket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    const stream = new EventStream(agentId, socket, this.#subs);
    this.#socket = socket;
    this.#stream = stream;

    socket.on('connect', () => {
      connection.connected();
      stream.connected();
      this.#subs.connected();
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
    socket.on('typing:updated', (event) => this.#subs.signal('typing:updated', event));
    socket.on('presence:updated', (event) => this.#subs.signal('presence:updated', event));

    globalThis.addEventListener?.('online', this.#online);
    globalThis.addEventListener?.('offline', this.#offline);
  }

  stop(): void {
    clearTimeout(this.#reconnectTimer);
    this.#stream?.flush();
    globalThis.removeEventListener?.('online', this.#online);
    globalThis.removeEventListener?.('offline', this.#offline);
    this.#socket?.removeAllListeners();
    this.#socket?.io.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
    this.#stream = null;
    this.#agentId = null;
  }

  /** Listens to one workspace's events until the returned function is called. */
  subscribe(workspaceId: string, handlers: Handlers): () => void {
    return this.#subs.add(workspaceId, handlers);
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
