import { untrack } from 'svelte';
import type { ShortcutId } from './keymap';

type Handler = () => void;

/**
 * Who answers each shortcut now. The page or panel that can act registers a handler while it is
 * shown (the conversation registers "resolve", the side panel "tag"); the latest registration wins,
 * and the palette offers an action only while someone answers it.
 */
class ShortcutRegistry {
  #handlers = new Map<ShortcutId, Handler[]>();
  /** Bumped on every change, so `has()` is reactive. */
  #version = $state(0);

  register(id: ShortcutId, handler: Handler): () => void {
    const stack = this.#handlers.get(id) ?? [];
    stack.push(handler);
    this.#handlers.set(id, stack);
    this.#bump();
    return () => {
      const i = stack.lastIndexOf(handler);
      if (i >= 0) stack.splice(i, 1);
      this.#bump();
    };
  }

  // Registration happens inside effects: reading the counter there would make them depend on it (and loop).
  #bump(): void {
    untrack(() => this.#version++);
  }

  has(id: ShortcutId): boolean {
    void this.#version;
    return (this.#handlers.get(id)?.length ?? 0) > 0;
  }

  /** Runs the current handler; false when nobody answers (the key then does its usual thing). */
  run(id: ShortcutId): boolean {
    const handler = this.#handlers.get(id)?.at(-1);
    if (!handler) return false;
    handler();
    return true;
  }
}

export const shortcuts = new ShortcutRegistry();
