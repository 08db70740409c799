import type { Socket } from 'socket.io-client';
import type { BroadcastEvent, BroadcastName, ClientToServerEvents, Envelope, ServerToClientEvents } from '@switchboard/shared';
import { loadCursors, saveCursors, type Cursors } from './cursors';
import { Sequencer } from './sequencer';
import type { Broadcast, Subscriptions } from './subscriptions';

/**
 * One agent's persisted broadcasts over one socket: puts each workspace's events in order exactly
 * once, keeps the last eventId applied per workspace (across page loads), and after every
 * (re)connect or gap asks the server for what came after it (`sync:hello`). It listens on the socket
 * from construction; whoever drops the socket removes the listeners.
 */
export class EventStream {
  readonly #agentId: string;
  readonly #socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly #subs: Subscriptions;
  readonly #cursors: Cursors;
  #sequencers = new Map<string, Sequencer<Broadcast>>();
  /** Workspaces whose `sync:ready` has come since the last connect; events of the others are catch-up. */
  #synced = new Set<string>();
  #helloInFlight = false;
  #helloAgain = false;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(agentId: string, socket: Socket<ServerToClientEvents, ClientToServerEvents>, subs: Subscriptions) {
    this.#agentId = agentId;
    this.#socket = socket;
    this.#subs = subs;
    this.#cursors = loadCursors(agentId);

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
      this.#subs.resync(workspaceId);
      this.#run(workspaceId, step.apply);
    });
    // Persisted broadcasts come in batches (a commit's events, or a slice of a replay); each event
    // of a batch goes through its workspace's sequencer on its own, in the order of the batch.
    socket.on('events', (batch) => this.#receive(batch));
  }

  /** The socket (re)connected: every workspace catches up again. */
  connected(): void {
    this.#synced.clear();
    this.#helloInFlight = false;
    this.#helloAgain = false;
    this.#hello();
  }

  /** Stores the last eventId applied per workspace now rather than on the next debounce. */
  flush(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    for (const [ws, s] of this.#sequencers) if (s.last !== null) this.#cursors[ws] = s.last;
    saveCursors(this.#agentId, this.#cursors);
  }

  #receive(batch: BroadcastEvent[]): void {
    if (!Array.isArray(batch)) return;
    // Normally one workspace per batch; anything else is kept apart per workspace, in order.
    const steps = new Map<string, { apply: Broadcast[]; gap: boolean }>();
    for (const event of batch) {
      const [name, envelope] = Array.isArray(event) ? (event as [BroadcastName, Envelope<unknown>]) : [];
      if (typeof name !== 'string' || !envelope || typeof envelope.eventId !== 'number' || typeof envelope.workspaceId !== 'string') continue;
      const ws = envelope.workspaceId;
      const step = this.#sequencer(ws).receive({ name, eventId: envelope.eventId, envelope });
      let acc = steps.get(ws);
      if (!acc) steps.set(ws, (acc = { apply: [], gap: false }));
      acc.apply.push(...step.apply);
      acc.gap ||= step.gap;
    }
    let gap = false;
    for (const [ws, { apply, gap: wsGap }] of steps) {
      this.#run(ws, apply);
      if (apply.length) this.#saveSoon();
      gap ||= wsGap;
    }
    if (gap) this.#hello();
  }

  #run(workspaceId: string, items: Broadcast[]): void {
    this.#subs.deliver(workspaceId, items, !this.#synced.has(workspaceId));
  }

  /** Asks for everything after what was applied, per workspace. One at a time; a gap meanwhile asks again after. */
  #hello(): void {
    if (!this.#socket.connected) return;
    if (this.#helloInFlight) {
      this.#helloAgain = true;
      return;
    }
    this.#helloInFlight = true;
    const since: Record<string, number> = {};
    for (const [ws, id] of Object.entries(this.#cursors)) since[ws] = id;
    for (const [ws, s] of this.#sequencers) if (s.last !== null) since[ws] = s.last;
    // The ack comes after the whole replay (every workspace's events and sync:ready): the next hello may go.
    this.#socket.emit('sync:hello', { since }, () => {
      this.#helloInFlight = false;
      if (this.#helloAgain) {
        this.#helloAgain = false;
        this.#hello();
      }
    });
  }

  #sequencer(workspaceId: string): Sequencer<Broadcast> {
    let s = this.#sequencers.get(workspaceId);
    if (!s) this.#sequencers.set(workspaceId, (s = new Sequencer<Broadcast>(this.#cursors[workspaceId] ?? null)));
    return s;
  }

  #saveSoon(): void {
    this.#saveTimer ??= setTimeout(() => this.flush(), 500);
  }
}
