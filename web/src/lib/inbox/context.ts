import { createContext } from 'svelte';

/** What the inbox lends the conversation shown beside it. */
export interface InboxNav {
  /** Back to the list (Escape, the back button), focus on the conversation's row. */
  back(): void;
}

export const [getInboxNav, setInboxNav] = createContext<InboxNav>();
