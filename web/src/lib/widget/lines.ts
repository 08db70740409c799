import type { Message } from '@switchboard/shared';

/** A message the visitor typed that the server has not confirmed yet. */
export interface Outgoing {
  clientMessageId: string;
  body: string;
  createdAt: string;
  state: 'sending' | 'failed';
  error: string | null;
}

/** One bubble of the chat, confirmed or not. */
export interface ChatLine {
  key: string;
  /** The visitor's own message (shown on the right). */
  mine: boolean;
  author: 'visitor' | 'agent' | 'bot';
  /** Who wrote it, for messages that are not the visitor's. */
  authorName: string | null;
  body: string;
  createdAt: string;
  state: 'sent' | 'sending' | 'failed';
  error: string | null;
  clientMessageId: string | null;
}

const order = (a: Message, b: Message) => a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id);

/** Adds or replaces messages by id (a broadcast may repeat one, a refetch overlaps what the socket brought). */
export function upsertMessages(list: readonly Message[], incoming: readonly Message[]): Message[] {
  if (!incoming.length) return list as Message[];
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort(order);
}

/** The visitor's confirmed messages carry the page's client message id as their external id. */
export function settle(outgoing: readonly Outgoing[], confirmed: readonly Message[]): Outgoing[] {
  const done = new Set(confirmed.filter((m) => m.direction === 'in' && m.externalId).map((m) => m.externalId));
  const left = outgoing.filter((o) => !done.has(o.clientMessageId));
  return left.length === outgoing.length ? (outgoing as Outgoing[]) : left;
}

export function chatLines(confirmed: readonly Message[], outgoing: readonly Outgoing[], botName: string | null): ChatLine[] {
  const lines: ChatLine[] = [];
  for (const m of confirmed) {
    // Assignments and status changes are for the console.
    if (m.authorKind === 'system') continue;
    const mine = m.authorKind === 'contact';
    const author = mine ? 'visitor' : m.authorKind === 'agent' ? 'agent' : 'bot';
    lines.push({
      // The same key before and after the server confirms it, so the bubble is not redrawn.
      key: mine && m.externalId ? `c${m.externalId}` : `m${m.id}`,
      mine,
      author,
      authorName: mine ? null : author === 'agent' ? (m.agent?.name ?? 'Agent') : botName,
      body: m.body,
      createdAt: m.createdAt,
      state: 'sent',
      error: null,
      clientMessageId: mine ? m.externalId : null,
    });
  }
  for (const o of outgoing) {
    lines.push({
      key: `c${o.clientMessageId}`,
      mine: true,
      author: 'visitor',
      authorName: null,
      body: o.body,
      createdAt: o.createdAt,
      state: o.state,
      error: o.error,
      clientMessageId: o.clientMessageId,
    });
  }
  return lines;
}

/** A fresh idempotency key for one message (the server accepts `[\w-]{8,100}`). */
export function newClientMessageId(): string {
  return `w-${crypto.randomUUID()}`;
}
