import type { Conversation } from '@switchboard/shared';

/** The page showing conversations (the inbox) lends them to the palette while it is shown. */
let provider: (() => readonly Conversation[]) | null = null;

export function provideConversations(get: () => readonly Conversation[]): () => void {
  provider = get;
  return () => {
    if (provider === get) provider = null;
  };
}

export function paletteConversations(): readonly Conversation[] {
  return provider?.() ?? [];
}
