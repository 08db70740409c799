import type { Viewer } from '@switchboard/shared';
import { summaryCovers } from '@switchboard/shared/realtime';
import type { ContactDetailManager } from '$lib/contact-detail/contact.svelte';
import { realtime, type Handlers } from '$lib/realtime';
import { describeChanges } from './change-text';

export interface Notice {
  id: number;
  text: string;
}

/** How long a "Sam changed …" notice stays. */
export const NOTICE_MS = 8000;
const MAX_NOTICES = 3;

// One socket views one contact at a time (the server keeps one per socket): remember which, so a
// panel closing after the next one opened does not clear the new one.
let viewing: string | null = null;

/**
 * Keeps the side panel's contact live: pushed changes applied in place with a notice saying who
 * changed what, and the other agents viewing it (`presence:view` on open, null on close).
 */
export class LiveContact {
  readonly workspaceId: string;
  readonly contactId: string;
  readonly me: string;
  readonly detail: ContactDetailManager;

  /** Other agents with this contact open. */
  viewers = $state.raw<Viewer[]>([]);
  notices = $state.raw<Notice[]>([]);
  deleted = $state(false);

  #timers = new Set<ReturnType<typeof setTimeout>>();
  #next = 1;
  #disposed = false;

  constructor(workspaceId: string, contactId: string, me: string, detail: ContactDetailManager) {
    this.workspaceId = workspaceId;
    this.contactId = contactId;
    this.me = me;
    this.detail = detail;
  }

  async view(): Promise<void> {
    viewing = this.contactId;
    const ack = await realtime.request('presence:view', { workspaceId: this.workspaceId, contactId: this.contactId });
    if (ack.ok && !this.#disposed) this.#setViewers(ack.data.viewers);
  }

  readonly handlers: Handlers = {
    'contact:updated': ({ contact, changes, by }, meta) => {
      if (contact.id !== this.contactId) return;
      const news = this.detail.pushed(contact, changes);
      const mine = by?.kind === 'agent' && by.id === this.me;
      // Catch-up after a reconnect updates the panel quietly; only what happens now is announced.
      if (news && !mine && !meta.replayed && changes.length) this.notify(describeChanges(by, changes, this.detail.customFields));
    },
    'contact:deleted': ({ contactId }) => {
      if (contactId === this.contactId) this.#gone();
    },
    'contacts:changed': (e, meta) => {
      if (!summaryCovers(e)(this.contactId)) return;
      if (e.deleted) return this.#gone();
      // The summary does not say what changed: read the contact again, then its history (as a push does).
      void this.detail.refresh().then(() => this.detail.revision++);
      if (!meta.replayed) this.notify('This contact was changed by a bulk action or import.');
    },
    'presence:updated': ({ contactId, viewers }) => {
      if (contactId === this.contactId) this.#setViewers(viewers);
    },
    connected: () => {
      // Rooms and presence start empty after a reconnect.
      if (!this.#disposed) void this.view();
    },
    resync: () => void this.detail.refresh(),
  };

  notify(text: string): void {
    const notice = { id: this.#next++, text };
    this.notices = [...this.notices, notice].slice(-MAX_NOTICES);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.dismiss(notice.id);
    }, NOTICE_MS);
    this.#timers.add(timer);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  dispose(): void {
    this.#disposed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    if (viewing === this.contactId) {
      viewing = null;
      void realtime.request('presence:view', { workspaceId: this.workspaceId, contactId: null });
    }
  }

  #gone(): void {
    this.deleted = true;
    this.notify('This contact was deleted.');
  }

  #setViewers(viewers: Viewer[]): void {
    this.viewers = viewers.filter((v) => v.agentId !== this.me);
  }
}
