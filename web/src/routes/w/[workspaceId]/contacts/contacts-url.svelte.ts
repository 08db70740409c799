import { untrack } from 'svelte';
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { readUrlState, writeUrlState, type ContactsUrlState } from '$lib/contacts/url-state';

/**
 * The contacts view as the URL holds it. The URL is the source of truth: links, back/forward and our
 * own `navigate` all land in `state`. The search box is the one draft of it, written back debounced.
 * Create it while a component initialises: it keeps the box in step with an effect.
 */
export class ContactsUrl {
  readonly #parsed = $derived(readUrlState(page.url.searchParams));
  /** The search box's text: ahead of `state.q` while the user types. */
  search = $state('');
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.search = this.state.q;
    // `q` changed from outside (a link, back/forward): the box follows, unless the user is typing.
    $effect(() => {
      const q = this.state.q;
      untrack(() => {
        if (this.#searchTimer === undefined && q !== this.search) this.search = q;
      });
    });
  }

  get state(): ContactsUrlState {
    return this.#parsed.state;
  }

  /** The broken parts of the URL that were dropped, in one line; empty when there are none. */
  get problems(): string {
    return this.#parsed.problems.join(' ');
  }

  navigate(patch: Partial<ContactsUrlState>, { replace = false } = {}) {
    const search = writeUrlState({ ...this.state, ...patch }).toString();
    return goto(`${page.url.pathname}${search ? `?${search}` : ''}`, { replaceState: replace, keepFocus: true, noScroll: true });
  }

  typeSearch(text: string): void {
    this.search = text;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => {
      this.#searchTimer = undefined;
      void this.navigate({ q: this.search.trim() ? this.search : '' }, { replace: true });
    }, 250);
  }

  /** Back to every contact: no search, filter or segment. */
  showAll(): void {
    this.search = '';
    void this.navigate({ q: '', filter: null, segmentId: null });
  }

  dispose(): void {
    clearTimeout(this.#searchTimer);
  }
}
