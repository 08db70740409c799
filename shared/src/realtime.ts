import { z } from 'zod';
import type { ErrorCode } from './errors.ts';
import { Id } from './common.ts';
import type { Contact } from './contacts.ts';
import type { Conversation, Message } from './conversations.ts';
import type { Job } from './jobs.ts';
import { ConversationStatus } from './enums.ts';

/**
 * Every persisted broadcast carries its workspace's increasing `eventId`. A client remembers the
 * last one it applied per workspace and sends it on (re)connect to receive what it missed.
 */
export interface Envelope<T> {
  eventId: number;
  workspaceId: string;
  at: string;
  data: T;
}

export interface ChangeBy {
  kind: string;
  id: string | null;
  name: string | null;
}

/** One change of a contact, as the side panel shows it: "Sam changed plan: silver → gold". */
export interface ContactChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** The contacts a `contacts:changed` summary covers. */
export interface IdSummary {
  contactIds: string[];
  /** Runs of consecutive ids, `[first, last]`, both included; absent when there are none. */
  ranges?: [string, string][];
}

export type ContactsChanged = IdSummary & { jobId: string; deleted: boolean };

/**
 * Contact ids as a summary carries them: runs of three or more consecutive ids as ranges, the
 * rest listed. A batch of an import creates consecutive ids, so its summary is a few bytes
 * instead of ~40 KB for 5,000 ids, sent to every console of the workspace each batch.
 */
export function summariseIds(ids: readonly number[]): IdSummary {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const contactIds: string[] = [];
  const ranges: [string, string][] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) ranges.push([String(sorted[i]), String(sorted[j])]);
    else for (let k = i; k <= j; k++) contactIds.push(String(sorted[k]));
    i = j + 1;
  }
  return ranges.length ? { contactIds, ranges } : { contactIds };
}

/** Whether a summary covers a contact: build once per summary, ask per row. */
export function summaryCovers(s: IdSummary): (contactId: string) => boolean {
  const listed = new Set(s.contactIds);
  const ranges = (s.ranges ?? []).map(([a, b]) => [Number(a), Number(b)] as const);
  return (id) => {
    if (listed.has(id)) return true;
    if (!ranges.length || !/^\d+$/.test(id)) return false;
    const n = Number(id);
    return ranges.some(([a, b]) => n >= a && n <= b);
  };
}

export interface BroadcastPayloads {
  'conversation:upserted': Conversation;
  'message:created': Message;
  'contact:updated': { contact: Contact & { segmentIds: string[] }; changes: ContactChange[]; by: ChangeBy | null };
  'contact:deleted': { contactId: string };
  'segment:membership': { segmentId: string; contactId: string; member: boolean };
  /**
   * A bulk job's batch changed (or, `deleted`, erased) many contacts at once: instead of one
   * `contact:updated` each, one summary per batch; a view showing any of them reloads it.
   * The contacts are `contactIds` and every id of each of `ranges` (see `summariseIds`).
   */
  'contacts:changed': ContactsChanged;
  /** At most ~2 per second per job, and once on every status change. */
  'job:progress': Job;
}
export type BroadcastName = keyof BroadcastPayloads;

export interface Viewer {
  agentId: string;
  name: string;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

/** One persisted broadcast on the wire: its API.md name and its envelope. */
export type BroadcastEvent = { [K in BroadcastName]: [name: K, envelope: Envelope<BroadcastPayloads[K]>] }[BroadcastName];

export type ServerToClientEvents = {
  /**
   * Persisted broadcasts travel in batches: one packet per commit (or per few commits that ended
   * in the same server turn, or per slice of a replay), the events of one workspace in eventId
   * order. One packet instead of one per event is one socket write per agent per commit, which is
   * what limits fan-out to a thousand sockets.
   */
  events: (batch: BroadcastEvent[]) => void;
  /** Ephemeral: who else has this contact open (not replayed). */
  'presence:updated': (event: { workspaceId: string; contactId: string; viewers: Viewer[] }) => void;
  /** Ephemeral: someone is typing in a conversation (not replayed). */
  'typing:updated': (event: { workspaceId: string; conversationId: string; who: ChangeBy; typing: boolean }) => void;
  /** Replay finished: the client is up to date with `eventId`. */
  'sync:ready': (event: { workspaceId: string; eventId: number }) => void;
  /** The gap is older than the event log keeps: reload everything, then carry on from `eventId`. */
  'sync:resync': (event: { workspaceId: string; eventId: number; reason: string }) => void;
  /** The server is shutting down or the session ended: reconnect (or sign in again). */
  'session:ended': (event: { reason: 'logout' | 'shutdown' | 'revoked' }) => void;
};

export const SyncHello = z.object({ since: z.record(Id, z.number().int().min(0)) });
export const PresenceView = z.object({ workspaceId: Id, contactId: Id.nullable() });
export const ConversationRef = z.object({ workspaceId: Id, conversationId: Id });
export const SendMessage = ConversationRef.extend({
  body: z.string().trim().min(1, 'must not be empty').max(10_000),
  idempotencyKey: z.string().min(8).max(100),
});
export const SetTyping = ConversationRef.extend({ typing: z.boolean() });
export const AssignConversation = ConversationRef.extend({ agentId: Id.nullable() });
export const SetConversationStatus = ConversationRef.extend({ status: ConversationStatus });

export type ClientToServerEvents = {
  'sync:hello': (payload: z.input<typeof SyncHello>, ack: (a: Ack<{ replayed: number }>) => void) => void;
  'presence:view': (payload: z.input<typeof PresenceView>, ack: (a: Ack<{ viewers: Viewer[] }>) => void) => void;
  'conversation:open': (payload: z.input<typeof ConversationRef>, ack: (a: Ack<{ conversationId: string }>) => void) => void;
  'conversation:close': (payload: z.input<typeof ConversationRef>, ack: (a: Ack<null>) => void) => void;
  'message:send': (payload: z.input<typeof SendMessage>, ack: (a: Ack<Message>) => void) => void;
  'typing:set': (payload: z.input<typeof SetTyping>, ack?: (a: Ack<null>) => void) => void;
  'conversation:assign': (payload: z.input<typeof AssignConversation>, ack: (a: Ack<Conversation>) => void) => void;
  'conversation:status': (payload: z.input<typeof SetConversationStatus>, ack: (a: Ack<Conversation>) => void) => void;
  'conversation:read': (payload: z.input<typeof ConversationRef>, ack: (a: Ack<Conversation>) => void) => void;
};

export interface SocketData {
  agentId: number;
  agentName: string;
  sessionId: number;
  /** workspaceId → role, from the memberships at connect time (re-checked on every command). */
  workspaces: Record<number, string>;
}
