import type { Ack, Conversation, ConversationStatus, Message } from '@switchboard/shared';
import { conversationsApi } from '$lib/api/conversations';
import { ApiError } from '$lib/api/client';
import { realtime, type Handlers } from '$lib/realtime';
import { prependOlder, settle, upsertMessage, type PendingReply } from './messages';
import { TypingRoster, TypingSender, type Typist } from './typing';

const PAGE_SIZE = 50;
/** Marking read is one write per burst of incoming messages, not one per message. */
const READ_DELAY_MS = 800;

export interface Me {
  id: string;
  name: string;
}

/**
 * One open conversation: its messages (live, older ones on demand), replies sent optimistically and
 * retried with the same idempotency key, typing both ways, and the assign/status/read commands.
 */
export class ConversationManager {
  readonly workspaceId: string;
  readonly conversationId: string;
  readonly me: Me;

  conversation = $state.raw<Conversation | null>(null);
  messages = $state.raw<Message[]>([]);
  pending = $state.raw<PendingReply[]>([]);
  hasMore = $state(false);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  loadError = $state<string | null>(null);
  loadingOlder = $state(false);
  olderError = $state<string | null>(null);
  /** Others typing here now (agents, or the contact on web chat). */
  typists = $state.raw<Typist[]>([]);
  /** Commands running (one of each kind at a time), and why the last one failed. */
  assigning = $state(false);
  changingStatus = $state(false);
  actionError = $state<string | null>(null);

  readonly #abort = new AbortController();
  readonly #sender: TypingSender;
  readonly #roster: TypingRoster;
  #readTimer: ReturnType<typeof setTimeout> | undefined;
  #opened = false;

  constructor(workspaceId: string, conversationId: string, me: Me) {
    this.workspaceId = workspaceId;
    this.conversationId = conversationId;
    this.me = me;
    this.#sender = new TypingSender((typing) => realtime.signal('typing:set', { ...this.#ref, typing }));
    this.#roster = new TypingRoster((typists) => (this.typists = typists));
  }

  get #ref() {
    return { workspaceId: this.workspaceId, conversationId: this.conversationId };
  }

  async load(): Promise<void> {
    const signal = this.#abort.signal;
    this.status = 'loading';
    this.loadError = null;
    try {
      const [conversation, page] = await Promise.all([
        conversationsApi.get(this.workspaceId, this.conversationId, { signal }),
        conversationsApi.messages(this.workspaceId, this.conversationId, { limit: PAGE_SIZE }, { signal }),
      ]);
      if (signal.aborted) return;
      this.conversation = conversation;
      // Live messages may have come in while the page was on its way; keep them.
      let messages = page.items;
      for (const m of this.messages) messages = upsertMessage(messages, m);
      this.messages = messages;
      this.hasMore = page.hasMore;
      this.status = 'ready';
      if (conversation.unreadCount > 0) this.markRead(0);
    } catch (e) {
      if (signal.aborted) return;
      this.loadError = errorText(e, 'The conversation could not be loaded.');
      this.status = 'error';
    }
  }

  async loadOlder(): Promise<void> {
    const first = this.messages[0];
    if (!first || !this.hasMore || this.loadingOlder) return;
    this.loadingOlder = true;
    this.olderError = null;
    try {
      const page = await conversationsApi.messages(this.workspaceId, this.conversationId, { before: first.id, limit: PAGE_SIZE }, { signal: this.#abort.signal });
      this.messages = prependOlder(this.messages, page.items);
      this.hasMore = page.hasMore;
    } catch (e) {
      if (!this.#abort.signal.aborted) this.olderError = errorText(e, 'Older messages could not be loaded.');
    } finally {
      this.loadingOlder = false;
    }
  }

  /** Joins the conversation's room (typing); again after every reconnect. */
  open(): void {
    this.#opened = true;
    void realtime.request('conversation:open', this.#ref);
  }

  close(): void {
    if (!this.#opened) return;
    this.#opened = false;
    this.#sender.stop();
    void realtime.request('conversation:close', this.#ref);
  }

  /** Sends a reply: shown at once as "sending", confirmed by the ack (or by its broadcast, whichever is first). */
  send(text: string): void {
    const body = text.trim();
    if (!body) return;
    this.#sender.stop();
    const reply: PendingReply = { key: crypto.randomUUID(), body, createdAt: new Date().toISOString(), state: 'sending', error: null };
    this.pending = [...this.pending, reply];
    void this.#deliver(reply.key);
  }

  /** Sends a failed reply again with the same key: if the first attempt did land, nothing is duplicated. */
  retry(key: string): void {
    const reply = this.pending.find((p) => p.key === key);
    if (!reply || reply.state === 'sending') return;
    this.#setPending(key, { state: 'sending', error: null });
    void this.#deliver(key);
  }

  discard(key: string): void {
    this.pending = this.pending.filter((p) => p.key !== key || p.state === 'sending');
  }

  async #deliver(key: string): Promise<void> {
    const reply = this.pending.find((p) => p.key === key);
    if (!reply) return;
    const ack = await realtime.request('message:send', { ...this.#ref, body: reply.body, idempotencyKey: key });
    if (ack.ok) this.#message(ack.data);
    else this.#setPending(key, { state: 'failed', error: ack.error.message });
  }

  #setPending(key: string, patch: Partial<PendingReply>): void {
    this.pending = this.pending.map((p) => (p.key === key ? { ...p, ...patch } : p));
  }

  /** Each edit of the reply box. */
  typing(text: string): void {
    this.#sender.input(text.trim().length > 0);
  }

  assign(agentId: string | null): Promise<void> {
    return this.#command('assign', () => realtime.request('conversation:assign', { ...this.#ref, agentId }));
  }

  setStatus(status: ConversationStatus): Promise<void> {
    return this.#command('status', () => realtime.request('conversation:status', { ...this.#ref, status }));
  }

  /** Opening reads at once; messages arriving while open are read in one write per burst. */
  markRead(delay = READ_DELAY_MS): void {
    clearTimeout(this.#readTimer);
    this.#readTimer = setTimeout(async () => {
      const ack = await realtime.request('conversation:read', this.#ref);
      if (ack.ok) this.#conversation(ack.data);
    }, delay);
  }

  async #command(kind: 'assign' | 'status', run: () => Promise<Ack<Conversation>>): Promise<void> {
    const flag = kind === 'assign' ? 'assigning' : 'changingStatus';
    if (this[flag]) return;
    this[flag] = true;
    this.actionError = null;
    const ack = await run();
    this[flag] = false;
    if (ack.ok) this.#conversation(ack.data);
    else this.actionError = ack.error.message;
  }

  #conversation(c: Conversation): void {
    if (c.id === this.conversationId) this.conversation = c;
  }

  #message(m: Message): void {
    if (m.conversationId !== this.conversationId) return;
    this.messages = upsertMessage(this.messages, m);
    this.pending = settle(this.pending, m);
  }

  readonly handlers: Handlers = {
    'message:created': (m) => {
      if (m.conversationId !== this.conversationId) return;
      const fresh = !this.messages.some((x) => x.id === m.id);
      this.#message(m);
      if (m.direction === 'in') {
        // Their message ends their typing; and the agent looking at it has read it.
        this.#roster.clear();
        if (fresh && typeof document !== 'undefined' && document.visibilityState === 'visible') this.markRead();
      }
    },
    'conversation:upserted': (c) => this.#conversation(c),
    'typing:updated': ({ conversationId, who, typing }) => {
      if (conversationId !== this.conversationId) return;
      if (who.kind === 'agent' && who.id === this.me.id) return;
      const id = `${who.kind}:${who.id ?? ''}`;
      const name = who.name ?? (who.kind === 'contact' ? (this.conversation?.contact.name ?? 'The contact') : 'Someone');
      this.#roster.set({ id, name }, typing);
    },
    connected: () => {
      if (this.#opened) void realtime.request('conversation:open', this.#ref);
    },
    resync: () => void this.load(),
  };

  dispose(): void {
    this.close();
    clearTimeout(this.#readTimer);
    this.#roster.clear();
    this.#abort.abort();
  }
}

function errorText(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.message : fallback;
}
