/**
 * Puts one workspace's broadcasts in order and applies each exactly once. Every persisted broadcast
 * carries the workspace's next `eventId`; the server may publish two commits out of order, and a
 * reconnect replays what was missed, so the same id can arrive twice and a later one first.
 *
 * - `eventId <= last`: already applied, dropped.
 * - `eventId === last + 1`: applied, then any held successors.
 * - `eventId > last + 1`: held, and the caller asks the server to fill the gap (`sync:hello`).
 *
 * Before the first `sync:ready` (no baseline yet) events apply as they come: the lists shown were
 * just read from REST and every handler is an idempotent upsert, so there is nothing to order against.
 */
export interface Sequenced {
  eventId: number;
}

export interface Step<T> {
  /** Apply these now, in this order. */
  apply: T[];
  /** Events are held behind a hole: ask the server to replay from `last`. */
  gap: boolean;
}

/** Replays that leave a hole before giving up and applying what is held (see `ready`). */
export const MAX_GAP_ROUNDS = 3;

export class Sequencer<T extends Sequenced> {
  #last: number | null;
  #seen = 0;
  #held = new Map<number, T>();
  #rounds = 0;

  constructor(last: number | null = null) {
    this.#last = last;
  }

  /** The last eventId applied, or null before the first `sync:ready`. */
  get last(): number | null {
    return this.#last;
  }

  get holding(): number {
    return this.#held.size;
  }

  receive(item: T): Step<T> {
    const last = this.#last;
    if (last === null) {
      this.#seen = Math.max(this.#seen, item.eventId);
      return { apply: [item], gap: false };
    }
    if (item.eventId <= last || this.#held.has(item.eventId)) return { apply: [], gap: false };
    if (item.eventId === last + 1) {
      this.#last = item.eventId;
      return { apply: [item, ...this.#drain()], gap: this.#held.size > 0 };
    }
    this.#held.set(item.eventId, item);
    return { apply: [], gap: true };
  }

  /**
   * The server sent everything it has up to `eventId` (replay comes before `sync:ready` on the same
   * ordered socket), so ids at or below it that never came were erased from the log: jump over them.
   * Held events above it were published after the replay read the log; those missing between them
   * are still on their way, so keep holding and ask again — a few times, then apply what is held.
   */
  ready(eventId: number): Step<T> {
    this.#last = Math.max(this.#last ?? this.#seen, eventId);
    const apply = this.#drain();
    if (this.#held.size === 0) {
      this.#rounds = 0;
      return { apply, gap: false };
    }
    this.#rounds++;
    if (this.#rounds >= MAX_GAP_ROUNDS) {
      this.#rounds = 0;
      return { apply: [...apply, ...this.#flush()], gap: false };
    }
    return { apply, gap: true };
  }

  /** The hole is older than the log keeps: the caller reloads from REST; carry on from `eventId`. */
  resync(eventId: number): Step<T> {
    this.#last = Math.max(this.#last ?? 0, eventId);
    this.#rounds = 0;
    return { apply: this.#flush(), gap: false };
  }

  #drain(): T[] {
    const out: T[] = [];
    const last = this.#last;
    if (last === null) return out;
    for (const id of this.#held.keys()) if (id <= last) this.#held.delete(id);
    let next = last + 1;
    for (let item = this.#held.get(next); item; item = this.#held.get(next)) {
      out.push(item);
      this.#held.delete(next);
      this.#last = next;
      next++;
    }
    return out;
  }

  /** Everything held above `last`, in order; `last` moves to the highest. */
  #flush(): T[] {
    const last = this.#last ?? 0;
    const out = [...this.#held.values()].filter((i) => i.eventId > last).sort((a, b) => a.eventId - b.eventId);
    this.#held.clear();
    if (out.length) this.#last = out[out.length - 1]!.eventId;
    return out;
  }
}
