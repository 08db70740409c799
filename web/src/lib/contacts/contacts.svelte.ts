import type { Contact, ContactCount } from '@switchboard/shared';
import { contactsApi } from '$lib/api/contacts';
import { ApiError } from '$lib/api/client';
import { listQuery, queryKey, type ContactsQuery } from './url-state';

const PAGE_SIZE = 100;

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

  dispose(): void {
    this.#controller?.abort();
    this.#controller = null;
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
