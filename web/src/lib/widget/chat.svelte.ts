import { io, type Socket } from 'socket.io-client';
import type { Message, WidgetClientToServerEvents, WidgetServerToClientEvents, WidgetVisitor } from '@switchboard/shared';
import { widgetApi } from '$lib/api/widget';
import { ApiError } from '$lib/api/client';
import { chatLines, newClientMessageId, settle, upsertMessages, type Outgoing } from './lines';

type WidgetSocket = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;

/**
 * idle: no visitor yet (nothing to connect) · connecting: first connection · connected ·
 * reconnecting: lost, trying again (what was missed is fetched on return).
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

// Typing: say "typing" at once, repeat it while the visitor keeps typing (agents' indicators
// expire), and say "stopped" after a pause.
const TYPING_IDLE_MS = 3000;
const TYPING_REPEAT_MS = 4000;
// An agent's "typing" that is never followed by "stopped" (a dropped socket) fades on its own.
const AGENT_TYPING_TTL_MS = 8000;

/** The state of one visitor's chat with a workspace: messages, sends in flight, the live socket. */
export class WidgetChat {
  readonly workspaceId: string;
  workspace = $state.raw<{ id: string; name: string } | null>(null);
  visitor = $state.raw<WidgetVisitor | null>(null);
  confirmed = $state.raw<Message[]>([]);
  outgoing = $state.raw<Outgoing[]>([]);
  connection = $state<ConnectionState>('idle');
  loading = $state(true);
  loadError = $state<ApiError | null>(null);
  /** The agent typing now, if any. */
  agentTyping = $state.raw<{ name: string | null } | null>(null);

  lines = $derived(chatLines(this.confirmed, this.outgoing, this.workspace?.name ?? null));

  #socket: WidgetSocket | null = null;
  #session: Promise<WidgetVisitor> | null = null;
  #typingSentAt = 0;
  #typingIdle: ReturnType<typeof setTimeout> | undefined;
  #agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  #destroyed = false;

  constructor(workspaceId: string) {
    this.workspaceId = workspaceId;
  }

  /** First load: the workspace, and the visitor with its messages when the cookie names one. */
  async load(): Promise<void> {
    this.loading = true;
    this.loadError = null;
    try {
      await this.#refetch();
      if (this.visitor) this.#connect();
    } catch (e) {
      this.loadError = toApiError(e);
    } finally {
      this.loading = false;
    }
  }

  /** Shows the message at once; it stays on screen, marked failed with a retry, if it cannot be sent. */
  async send(text: string, name?: string): Promise<void> {
    const body = text.trim();
    if (!body) return;
    this.#stopTyping();
    const clientMessageId = newClientMessageId();
    this.outgoing = [...this.outgoing, { clientMessageId, body, createdAt: new Date().toISOString(), state: 'sending', error: null }];
    await this.#deliver(clientMessageId, name);
  }

  /** Sends a failed message again with the same id: if the first try did arrive, nothing is duplicated. */
  async retry(clientMessageId: string): Promise<void> {
    if (!this.outgoing.some((o) => o.clientMessageId === clientMessageId && o.state === 'failed')) return;
    this.#setOutgoing(clientMessageId, { state: 'sending', error: null });
    await this.#deliver(clientMessageId);
  }

  /** The composer's text changed. */
  typed(text: string): void {
    if (!text.trim()) return this.#stopTyping();
    const now = Date.now();
    if (now - this.#typingSentAt > TYPING_REPEAT_MS) {
      this.#typingSentAt = now;
      this.#socket?.emit('typing:set', { typing: true });
    }
    clearTimeout(this.#typingIdle);
    this.#typingIdle = setTimeout(() => this.#stopTyping(), TYPING_IDLE_MS);
  }

  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#typingIdle);
    clearTimeout(this.#agentTypingTimer);
    this.#socket?.close();
    this.#socket = null;
  }

  async #deliver(clientMessageId: string, name?: string): Promise<void> {
    const item = this.outgoing.find((o) => o.clientMessageId === clientMessageId);
    if (!item) return;
    try {
      if (!this.visitor) await this.#ensureSession(name);
      const message = await widgetApi.send(this.workspaceId, { text: item.body, clientMessageId });
      this.#accept([message]);
      if (this.visitor && !this.visitor.conversationId) this.visitor = { ...this.visitor, conversationId: message.conversationId };
    } catch (e) {
      const error = toApiError(e);
      // The visitor was erased or its cookie lost: start over as a new visitor on retry.
      if (error.status === 401) this.#forgetVisitor();
      this.#setOutgoing(clientMessageId, { state: 'failed', error: sendErrorText(error) });
    }
  }

  /** Creates the visitor on its first message (a page view alone creates nobody), then goes live. */
  #ensureSession(name?: string): Promise<WidgetVisitor> {
    this.#session ??= widgetApi
      .session(this.workspaceId, name?.trim() ? { name: name.trim() } : {})
      .then((s) => {
        this.workspace = s.workspace;
        this.visitor = s.visitor;
        this.#connect();
        return s.visitor;
      })
      .finally(() => {
        this.#session = null;
      });
    return this.#session;
  }

  #connect(): void {
    if (this.#socket || this.#destroyed) return;
    this.connection = 'connecting';
    const socket: WidgetSocket = io('/widget', {
      path: '/socket.io',
      withCredentials: true,
      auth: { workspaceId: this.workspaceId },
    });
    this.#socket = socket;
    let everConnected = false;

    socket.on('connect', () => {
      this.connection = 'connected';
      // Back after a drop: fetch what arrived meanwhile (the socket does not replay).
      if (everConnected) void this.#refetch().catch(() => undefined);
      everConnected = true;
    });
    socket.on('disconnect', () => {
      this.connection = 'reconnecting';
      this.#setAgentTyping(null);
      // The server ended it (shutdown, erased visitor): Socket.IO does not retry that by itself.
      if (!socket.active) setTimeout(() => this.#socket === socket && socket.connect(), 1000);
    });
    socket.on('connect_error', (err) => {
      this.connection = 'reconnecting';
      if (socket.active) return;
      // Refused by the server: the visitor is gone (erased) or the cookie was lost.
      if (err.message === 'unauthorized') {
        this.#forgetVisitor();
        return;
      }
      setTimeout(() => this.#socket === socket && socket.connect(), 2000);
    });
    socket.on('message:created', (message) => {
      this.#accept([message]);
      if (message.authorKind === 'agent') this.#setAgentTyping(null);
    });
    socket.on('typing:updated', (event) => {
      if (event.who.kind === 'contact') return;
      this.#setAgentTyping(event.typing ? { name: event.who.name } : null);
    });
  }

  async #refetch(): Promise<void> {
    const data = await widgetApi.conversation(this.workspaceId);
    this.workspace = data.workspace;
    this.visitor = data.visitor;
    this.#accept(data.messages);
  }

  #accept(messages: Message[]): void {
    this.confirmed = upsertMessages(this.confirmed, messages);
    this.outgoing = settle(this.outgoing, this.confirmed);
  }

  #forgetVisitor(): void {
    this.#socket?.close();
    this.#socket = null;
    this.visitor = null;
    this.connection = 'idle';
  }

  #stopTyping(): void {
    clearTimeout(this.#typingIdle);
    if (!this.#typingSentAt) return;
    this.#typingSentAt = 0;
    this.#socket?.emit('typing:set', { typing: false });
  }

  #setAgentTyping(value: { name: string | null } | null): void {
    clearTimeout(this.#agentTypingTimer);
    this.agentTyping = value;
    if (value) this.#agentTypingTimer = setTimeout(() => (this.agentTyping = null), AGENT_TYPING_TTL_MS);
  }

  #setOutgoing(clientMessageId: string, patch: Partial<Outgoing>): void {
    this.outgoing = this.outgoing.map((o) => (o.clientMessageId === clientMessageId ? { ...o, ...patch } : o));
  }
}

function toApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError({ status: 0, code: 'internal', message: 'Something went wrong.' });
}

function sendErrorText(error: ApiError): string {
  if (error.code === 'rate_limited') return 'You are sending messages too fast. Wait a moment, then retry.';
  if (error.status === 0) return 'Not sent: no connection.';
  if (error.status === 401) return 'Your chat session ended. Retry to start a new one.';
  if (error.code === 'validation') return error.message;
  return 'Not sent.';
}
