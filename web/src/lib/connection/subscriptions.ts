import type { BroadcastName, BroadcastPayloads, Envelope, ServerToClientEvents } from '@switchboard/shared';

export interface EventMeta {
  eventId: number;
  at: string;
  /** Delivered while catching up after a (re)connect, not as it happened. */
  replayed: boolean;
}

type SignalName = 'typing:updated' | 'presence:updated';
type Signal<K extends SignalName> = Parameters<ServerToClientEvents[K]>[0];

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

/** One persisted broadcast as it came off the socket. */
export interface Broadcast {
  name: BroadcastName;
  eventId: number;
  envelope: Envelope<unknown>;
}

/** Which managers listen to which workspace; hands each of them what arrives for it. */
export class Subscriptions {
  #subs = new Map<string, Set<Handlers>>();

  /** Listens to one workspace's events until the returned function is called. */
  add(workspaceId: string, handlers: Handlers): () => void {
    let set = this.#subs.get(workspaceId);
    if (!set) this.#subs.set(workspaceId, (set = new Set()));
    set.add(handlers);
    return () => {
      set.delete(handlers);
      if (set.size === 0) this.#subs.delete(workspaceId);
    };
  }

  /** After every (re)connect, to each subscriber of every workspace. */
  connected(): void {
    for (const set of this.#subs.values()) for (const h of set) h.connected?.();
  }

  resync(workspaceId: string): void {
    for (const h of this.#of(workspaceId)) h.resync?.();
  }

  /** Typing and presence carry no eventId: they are handed on as they come, neither ordered nor replayed. */
  signal<K extends SignalName>(name: K, event: Signal<K>): void {
    for (const h of this.#of(event.workspaceId)) (h[name] as ((event: Signal<K>) => void) | undefined)?.(event);
  }

  /** Broadcasts already put in order, to the workspace's subscribers as of now. */
  deliver(workspaceId: string, items: Broadcast[], replayed: boolean): void {
    if (!items.length) return;
    const handlers = [...this.#of(workspaceId)];
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

  #of(workspaceId: string): Set<Handlers> {
    return this.#subs.get(workspaceId) ?? new Set();
  }
}
