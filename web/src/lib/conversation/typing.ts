/**
 * Typing both ways. Outgoing: `true` on the first keystroke, again now and then while typing goes
 * on (a viewer who opened the conversation meanwhile learns it too), `false` after a pause or on
 * send. Incoming: each typist expires on its own, since a "stopped" signal can be lost.
 */

export const IDLE_MS = 3000;
export const REFRESH_MS = 4000;
export const EXPIRE_MS = 8000;

export class TypingSender {
  #send: (typing: boolean) => void;
  #typing = false;
  #lastSent = 0;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(send: (typing: boolean) => void) {
    this.#send = send;
  }

  /** Every edit of the reply box; `hasText` false (box emptied) stops at once. */
  input(hasText: boolean, now = Date.now()): void {
    if (!hasText) return this.stop();
    if (!this.#typing || now - this.#lastSent >= REFRESH_MS) {
      this.#typing = true;
      this.#lastSent = now;
      this.#send(true);
    }
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.stop(), IDLE_MS);
  }

  stop(): void {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    if (!this.#typing) return;
    this.#typing = false;
    this.#send(false);
  }
}

export interface Typist {
  id: string;
  name: string;
}

export class TypingRoster {
  #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #typists = new Map<string, Typist>();
  #onChange: (typists: Typist[]) => void;

  constructor(onChange: (typists: Typist[]) => void) {
    this.#onChange = onChange;
  }

  set(who: Typist, typing: boolean): void {
    clearTimeout(this.#timers.get(who.id));
    this.#timers.delete(who.id);
    const had = this.#typists.has(who.id);
    if (typing) {
      this.#typists.set(who.id, who);
      this.#timers.set(
        who.id,
        setTimeout(() => this.set(who, false), EXPIRE_MS),
      );
      if (!had) this.#emit();
    } else if (had) {
      this.#typists.delete(who.id);
      this.#emit();
    }
  }

  clear(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    if (this.#typists.size) {
      this.#typists.clear();
      this.#emit();
    }
  }

  #emit(): void {
    this.#onChange([...this.#typists.values()]);
  }
}

export function typingLabel(typists: readonly Typist[]): string {
  const names = typists.map((t) => t.name || 'Someone');
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}
