import type { Message } from '@switchboard/shared';
import { compareIds } from '$lib/inbox/filters';

/** Chat order: oldest first, by time then id. */
export function byTime(a: Message, b: Message): number {
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || compareIds(a.id, b.id);
}

// A delivery status only moves forward: a late "pending" never undoes an outcome, nor "sent" a "delivered".
// Sent and failed rank alike, so either may follow the other (a retried delivery).
const rank: Record<NonNullable<Message['deliveryStatus']>, number> = { pending: 0, sent: 1, failed: 1, delivered: 2 };

/** Adds a message or updates the one with its id (a repeat carries a new delivery status). */
export function upsertMessage(list: readonly Message[], m: Message): Message[] {
  const i = list.findIndex((x) => x.id === m.id);
  if (i >= 0) {
    const current = list[i]!;
    if (current.deliveryStatus && m.deliveryStatus && rank[m.deliveryStatus] < rank[current.deliveryStatus]) return list as Message[];
    const out = [...list];
    out[i] = m;
    return out;
  }
  const last = list[list.length - 1];
  // The common case — the newest message — appends without a sort.
  if (!last || byTime(last, m) <= 0) return [...list, m];
  return [...list, m].sort(byTime);
}

/** An older page goes before what is shown; ids already shown are kept as they are. */
export function prependOlder(list: readonly Message[], older: readonly Message[]): Message[] {
  const have = new Set(list.map((m) => m.id));
  return [...older.filter((m) => !have.has(m.id)), ...list];
}

/** A reply not confirmed yet: shown at once, retried with the same key until it is. */
export interface PendingReply {
  key: string;
  body: string;
  createdAt: string;
  state: 'sending' | 'failed';
  error: string | null;
}

/** The stored message of a reply carries its idempotency key as `externalId`: the pending copy goes. */
export function settle(pending: readonly PendingReply[], m: Message): PendingReply[] {
  if (m.direction !== 'out' || !m.externalId) return pending as PendingReply[];
  const out = pending.filter((p) => p.key !== m.externalId);
  return out.length === pending.length ? (pending as PendingReply[]) : out;
}
