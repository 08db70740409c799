import type { BroadcastPayloads, Contact, ContactCount, ContactList } from '@switchboard/shared';
import { summaryCovers } from '@switchboard/shared/realtime';
import { contactsApi } from '$lib/api/contacts';
import { ApiError } from '$lib/api/client';
import type { Handlers } from '$lib/realtime';
import { listQuery, queryKey, type ContactsQuery } from './url-state';

const PAGE_SIZE = 100;
/** The API's largest page: a refresh re-reads every loaded row in as few requests as it can. */
const REFRESH_PAGE_SIZE = 200;
/** An import or bulk action reports one batch at a time, several a second: re-read at most this often. */
const REFRESH_MS = 400;

/**
 * The rows of the contacts page for one query: first page, then more by cursor. A new query aborts
 * whatever the previous one still had in flight, so a late answer never shows the wrong rows.
 */
export class ContactsView {
  readonly workspaceId: string;
  query = $state.raw<ContactsQuery | null>(null);
  items = $state.raw<Contact[]>([]);
  count = $state.raw<ContactCount | null>(null);
  nextCursor = $state<string | null>(null);
  /** The first page of the current query is on its way. */
  loading = $state(false);
  loadingMore = $state(false);
  /** Why the first page failed (a 400 names the bad filter node in `details`). */
  error = $state.raw<ApiError | null>(null);
  /** Why the next page failed; the rows already shown stay. */
  moreError = $state.raw<ApiError | null>(null);

  #controller: AbortController | null = null;
  #key: string | null = null;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #refreshing = false;
  /** Contacts changed again while a refresh was on its way: it may predate that. */
  #refreshAgain = false;

  constructor(workspaceId: string) {
    this.workspaceId = workspaceId;
  }

  get hasMore(): boolean {
    return this.nextCursor !== null;
  }

  /** Shows `query`; does nothing when it is the one already shown, unless `force`. */
  async load(query: ContactsQuery, { force = false } = {}): Promise<void> {
    const key = queryKey(query);
    if (!force && key === this.#key && !this.error) return;
    this.#key = key;
    this.query = query;
    const controller = this.#restart();
    this.loading = true;
    this.loadingMore = false;
    this.error = null;
    this.moreError = null;
    try {
      const page = await contactsApi.list(this.workspaceId, listQuery(query, undefined, PAGE_SIZE), { signal: controller.signal });
      if (controller.signal.aborted) return;
      this.items = page.items;
      this.count = page.count;
      this.nextCursor = page.nextCursor;
    } catch (e) {
      if (controller.signal.aborted) return;
      this.items = [];
      this.count = null;
      this.nextCursor = null;
      this.error = toApiError(e);
    } finally {
      if (!controller.signal.aborted) this.loading = false;
    }
  }

  reload(): Promise<void> {
    return this.query ? this.load(this.query, { force: true }) : Promise.resolve();
  }

  /** The next page, once: calls while one is loading are ignored. */
  async loadMore(): Promise<void> {
    const query = this.query;
    const cursor = this.nextCursor;
    if (!query || !cursor || this.loading || this.loadingMore) return;
    const controller = this.#controller ?? this.#restart();
    this.loadingMore = true;
    this.moreError = null;
    try {
      const page = await contactsApi.list(this.workspaceId, listQuery(query, cursor, PAGE_SIZE), { signal: controller.signal });
      if (controller.signal.aborted) return;
      // Keyset pages never overlap, but a contact whose activity moved between two pages can
      // appear twice; the first place wins so keys stay unique.
      const seen = new Set(this.items.map((c) => c.id));
      this.items = [...this.items, ...page.items.filter((c) => !seen.has(c.id))];
      this.count = page.count;
      this.nextCursor = page.nextCursor;
    } catch (e) {
      if (controller.signal.aborted) return;
      this.moreError = toApiError(e);
    } finally {
      if (!controller.signal.aborted) this.loadingMore = false;
    }
  }

  /** A contact changed elsewhere (the drawer): the row shows it without a reload. */
  replace(contact: Contact): void {
    const index = this.items.findIndex((c) => c.id === contact.id);
    if (index < 0) return;
    const items = [...this.items];
    items[index] = contact;
    this.items = items;
  }

  /** A contact was erased from the drawer: drop its row and count it out. */
  remove(contactId: string): void {
    const before = this.items.length;
    this.items = this.items.filter((c) => c.id !== contactId);
    if (this.items.length < before && this.count?.exact) this.count = { ...this.count, value: this.count.value - 1 };
  }

  /**
   * Contacts changed in bulk (or erased): erased rows go at once; the rest — what changed, which
   * contacts match now, rows an import added, the count — comes with the next refresh.
   */
  contactsChanged(e: BroadcastPayloads['contacts:changed']): void {
    if (e.deleted) {
      const covers = summaryCovers(e);
      const before = this.items.length;
      this.items = this.items.filter((c) => !covers(c.id));
      const gone = before - this.items.length;
      if (gone && this.count?.exact) this.count = { ...this.count, value: this.count.value - gone };
    }
    this.#refreshSoon();
  }

  /**
   * Re-reads as many rows as are loaded, and the count, then swaps them in: no spinner, and the
   * scroll position and the ticked rows stay. On failure the rows shown stay.
   */
  async refresh(): Promise<void> {
    const query = this.query;
    if (!query) return;
    // A page on its way would land on rows it was not read after: wait for it.
    if (this.loading || this.loadingMore) return this.#refreshSoon();
    // One at a time, and never aborted for a newer one: a slow re-read during a long import would never finish.
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return;
    }
    this.#refreshing = true;
    this.#refreshAgain = false;
    const controller = this.#controller ?? this.#restart();
    const want = Math.max(this.items.length, PAGE_SIZE);
    try {
      const items: Contact[] = [];
      const seen = new Set<string>();
      let cursor: string | undefined;
      let page: ContactList;
      do {
        page = await contactsApi.list(this.workspaceId, listQuery(query, cursor, REFRESH_PAGE_SIZE), { signal: controller.signal });
        if (controller.signal.aborted) return;
        for (const c of page.items) {
          if (seen.has(c.id)) continue;
          seen.add(c.id);
          items.push(c);
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor && items.length < want);
      this.items = items;
      this.count = page.count;
      this.nextCursor = page.nextCursor;
    } catch {
      // The next change or a reload brings them.
    } finally {
      this.#refreshing = false;
      if (this.#refreshAgain && !controller.signal.aborted) this.#refreshSoon();
    }
  }

  /** What this view listens to, for `realtime.subscribe`. */
  readonly handlers: Handlers = {
    // One contact edited elsewhere (another agent, a small bulk job): the row in place, no re-read.
    'contact:updated': ({ contact }) => this.replace(contact),
    'contact:deleted': ({ contactId }) => this.remove(contactId),
    'contacts:changed': (e) => this.contactsChanged(e),
    resync: () => void this.refresh(),
  };

  dispose(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = undefined;
    this.#controller?.abort();
    this.#controller = null;
  }

  /** Not pushed back by every event, so a long import still shows its progress every REFRESH_MS. */
  #refreshSoon(): void {
    if (this.#refreshTimer !== undefined) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined;
      void this.refresh();
    }, REFRESH_MS);
  }

  #restart(): AbortController {
    this.#controller?.abort();
    this.#controller = new AbortController();
    return this.#controller;
  }
}

function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError({ status: 0, code: 'internal', message: e instanceof Error ? e.message : 'Something went wrong.' });
}
