import type { BroadcastPayloads, Conversation, Message } from '@switchboard/shared';
import { summaryCovers } from '@switchboard/shared/realtime';
import { conversationsApi } from '$lib/api/conversations';
import { ApiError } from '$lib/api/client';
import type { Handlers } from '$lib/realtime';
import { addMissing, filterKey, listQuery, place, refreshContacts, withMembership, type InboxFilter } from './filters';

const PAGE_SIZE = 50;
/** Many contacts can enter a segment at once (a bulk tag): one refetch for the lot. */
const MEMBERSHIP_REFETCH_MS = 300;

/**
 * The inbox list for one filter: first page over REST, more by cursor, then kept current by the
 * workspace's broadcasts — a conversation moves, appears or leaves the moment it changes.
 */
export class InboxManager {
  readonly workspaceId: string;
  /** The signed-in agent, for "assigned to me". */
  readonly me: string;

  filter = $state.raw<InboxFilter | null>(null);
  items = $state.raw<Conversation[]>([]);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  loadingMore = $state(false);
  error = $state<string | null>(null);
  moreError = $state<string | null>(null);

  /** Every conversation seen in any list or event, by id: a contact entering a segment shows its conversations without asking. */
  #known = new Map<string, Conversation>();
  /** Conversations pushed while the first page was on its way: the page may predate them. */
  #duringLoad = new Map<string, Conversation>();
  #key: string | null = null;
  #controller: AbortController | null = null;
  #refetchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Contacts changed in bulk since the last refetch: their rows take what the refetch says of them. */
  #changedContacts = new Set<string>();

  constructor(workspaceId: string, me: string) {
    this.workspaceId = workspaceId;
    this.me = me;
  }

  get complete(): boolean {
    return this.nextCursor === null;
  }

  async load(filter: InboxFilter, { force = false } = {}): Promise<void> {
    const key = filterKey(filter);
    if (!force && key === this.#key && !this.error) return;
    this.#key = key;
    this.filter = filter;
    const controller = this.#restart();
    this.loading = true;
    this.loadingMore = false;
    this.error = null;
    this.moreError = null;
    this.#duringLoad.clear();
    try {
      const page = await conversationsApi.list(this.workspaceId, listQuery(filter, undefined, PAGE_SIZE), { signal: controller.signal });
      if (controller.signal.aborted) return;
      this.#remember(page.items);
      let items = page.items;
      for (const c of this.#duringLoad.values()) items = place(items, c, filter, this.me, page.nextCursor === null);
      this.#duringLoad.clear();
      this.items = items;
      this.nextCursor = page.nextCursor;
    } catch (e) {
      if (controller.signal.aborted) return;
      this.items = [];
      this.nextCursor = null;
      this.error = message(e, 'The conversations could not be loaded.');
    } finally {
      if (!controller.signal.aborted) this.loading = false;
    }
  }

  reload(): Promise<void> {
    return this.filter ? this.load(this.filter, { force: true }) : Promise.resolve();
  }

  async loadMore(): Promise<void> {
    const filter = this.filter;
    const cursor = this.nextCursor;
    if (!filter || !cursor || this.loading || this.loadingMore) return;
    const controller = this.#controller ?? this.#restart();
    this.loadingMore = true;
    this.moreError = null;
    try {
      const page = await conversationsApi.list(this.workspaceId, listQuery(filter, cursor, PAGE_SIZE), { signal: controller.signal });
      if (controller.signal.aborted) return;
      this.#remember(page.items);
      // A row that moved up live is already shown: the first place wins.
      const seen = new Set(this.items.map((c) => c.id));
      this.items = [...this.items, ...page.items.filter((c) => !seen.has(c.id))];
      this.nextCursor = page.nextCursor;
    } catch (e) {
      if (controller.signal.aborted) return;
      this.moreError = message(e, 'More conversations could not be loaded.');
    } finally {
      if (!controller.signal.aborted) this.loadingMore = false;
    }
  }

  /** A conversation as it is now (new, moved, assigned, resolved, read). */
  upserted(c: Conversation): void {
    this.#known.set(c.id, c);
    this.#place(c);
  }

  /** A message: the row's preview, time and place (the server's `conversation:upserted` follows with the counts). */
  messageCreated(m: Message): void {
    const current = this.#known.get(m.conversationId);
    if (!current) return;
    const newer = Date.parse(m.createdAt) > Date.parse(current.lastMessageAt);
    if (!newer) return;
    this.upserted({
      ...current,
      preview: m.body,
      lastMessageAt: m.createdAt,
      unreadCount: m.direction === 'in' ? current.unreadCount + 1 : current.unreadCount,
    });
  }

  /** A contact entered or left a segment: its conversations join or leave an inbox filtered by it. */
  membership({ segmentId, contactId, member }: BroadcastPayloads['segment:membership']): void {
    for (const c of this.#known.values()) {
      if (c.contact.id !== contactId) continue;
      const next = withMembership(c, segmentId, member);
      this.#known.set(c.id, next);
      this.#place(next);
    }
    if (member && this.filter?.segmentId === segmentId) this.#refetchSoon();
  }

  /** Name, avatar and segments of a contact shown in rows. */
  contactUpdated({ contact }: BroadcastPayloads['contact:updated']): void {
    for (const c of this.#known.values()) {
      if (c.contact.id !== contact.id) continue;
      const next: Conversation = {
        ...c,
        contact: { ...c.contact, name: contact.name, avatarUrl: contact.avatarUrl },
        segmentIds: contact.segmentIds,
      };
      this.#known.set(c.id, next);
      this.#place(next);
    }
  }

  contactDeleted({ contactId }: BroadcastPayloads['contact:deleted']): void {
    for (const [id, c] of this.#known) if (c.contact.id === contactId) this.#known.delete(id);
    this.items = this.items.filter((c) => c.contact.id !== contactId);
  }

  /**
   * Many contacts changed (or were erased) in one batch of a bulk action or import. The summary says
   * neither what changed nor which segments they entered or left, so their rows are refetched — and a
   * segment inbox refetches whatever it shows, since contacts it does not list may have joined.
   */
  contactsChanged(e: BroadcastPayloads['contacts:changed']): void {
    const covers = summaryCovers(e);
    if (e.deleted) {
      for (const [id, c] of this.#known) if (covers(c.contact.id)) this.#known.delete(id);
      this.items = this.items.filter((c) => !covers(c.contact.id));
      return;
    }
    for (const c of this.items) if (covers(c.contact.id)) this.#changedContacts.add(c.contact.id);
    if (this.#changedContacts.size || this.filter?.segmentId) this.#refetchSoon();
  }

  /** What this manager listens to, for `realtime.subscribe`. */
  readonly handlers: Handlers = {
    'conversation:upserted': (c) => this.upserted(c),
    'message:created': (m) => this.messageCreated(m),
    'segment:membership': (e) => this.membership(e),
    'contact:updated': (e) => this.contactUpdated(e),
    'contact:deleted': (e) => this.contactDeleted(e),
    'contacts:changed': (e) => this.contactsChanged(e),
    resync: () => void this.reload(),
  };

  byId(id: string | null | undefined): Conversation | undefined {
    return id ? (this.#known.get(id) ?? this.items.find((c) => c.id === id)) : undefined;
  }

  dispose(): void {
    clearTimeout(this.#refetchTimer);
    this.#controller?.abort();
    this.#controller = null;
  }

  #place(c: Conversation): void {
    if (this.loading) this.#duringLoad.set(c.id, c);
    if (!this.filter) return;
    this.items = place(this.items, c, this.filter, this.me, this.complete);
  }

  #remember(items: Conversation[]): void {
    for (const c of items) this.#known.set(c.id, c);
  }

  /**
   * The contact's conversations may be ones this tab never saw: ask for the newest page and add what is
   * missing. Rows of contacts changed in bulk are brought up to date from it too.
   */
  #refetchSoon(): void {
    clearTimeout(this.#refetchTimer);
    this.#refetchTimer = setTimeout(async () => {
      const filter = this.filter;
      if (!filter) return;
      const key = this.#key;
      const changed = this.#changedContacts;
      this.#changedContacts = new Set();
      try {
        const page = await conversationsApi.list(this.workspaceId, listQuery(filter, undefined, PAGE_SIZE));
        if (key !== this.#key) return;
        this.#remember(page.items);
        const items = changed.size ? refreshContacts(this.items, page.items, page.nextCursor === null, changed) : this.items;
        this.items = addMissing(items, page.items, filter, this.me, this.complete);
      } catch {
        // The next change or reload brings them; the rows shown stay.
      }
    }, MEMBERSHIP_REFETCH_MS);
  }

  #restart(): AbortController {
    this.#controller?.abort();
    this.#controller = new AbortController();
    return this.#controller;
  }
}

function message(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.message : fallback;
}
