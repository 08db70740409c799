import type { Socket } from 'socket.io-client';
import type { BroadcastName, ClientToServerEvents, Envelope, ServerToClientEvents } from '@switchboard/shared';
import { loadCursors, saveCursors, type Cursors } from './cursors';
import { Sequencer } from './sequencer';
import type { Broadcast, Subscriptions } from './subscriptions';

const broadcastNames = [
  'conversation:upserted',
  'message:created',
  'contact:updated',
  'contact:deleted',
  'segment:membership',
  'job:progress',
] as const satisfies readonly BroadcastName[];

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
    for (const name of broadcastNames) {
      // One listener per name; the contract's typed map guarantees the envelope's shape per name.
      (socket as unknown as Socket).on(name, (envelope: Envelope<unknown>) => this.#receive(name, envelope));
    }
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

  #receive(name: BroadcastName, envelope: Envelope<unknown>): void {
    if (!envelope || typeof envelope.eventId !== 'number' || typeof envelope.workspaceId !== 'string') return;
    const ws = envelope.workspaceId;
    const step = this.#sequencer(ws).receive({ name, eventId: envelope.eventId, envelope });
    this.#run(ws, step.apply);
    if (step.apply.length) this.#saveSoon();
    if (step.gap) this.#hello();
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
