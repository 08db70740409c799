import type {
  Contact,
  ContactDetail,
  ContactOp,
  CustomField,
  FieldValue,
  HistoryEntry,
  Layout,
  Tag,
} from '@switchboard/shared';
import { catalogueApi, contactDetailApi, layoutApi } from '$lib/api/contact-detail';
import { resolveLayout, surfaceKeys, visibleKeys } from '$lib/layout-editor/layout';
import type { EditableProfileField } from './field-meta';
import {
  addTagOp,
  clearFieldOp,
  errorMessage,
  failure,
  removeTagOp,
  setFieldOp,
  setProfileOp,
  type Outcome,
  type Seen,
} from './ops';

const OK: Outcome = { ok: true };

/**
 * One contact as the drawer (and later the live-chat side panel) shows it. The contact is deep state
 * and changes are applied to it in place, so a pushed `contact:updated` re-renders only what changed
 * and never resets an editor that is open on another field.
 */
export class ContactDetailManager {
  readonly workspaceId: string;
  readonly contactId: string;

  contact = $state<ContactDetail | null>(null);
  status = $state<'loading' | 'ready' | 'error' | 'deleted'>('loading');
  loadError = $state<string | null>(null);

  customFields = $state.raw<CustomField[]>([]);
  /** The side-panel layout in effect for this agent; null until loaded (or when it could not be). */
  layout = $state.raw<Layout | null>(null);
  /** The workspace's tags, for the add-tag autocomplete; loaded on first use. */
  tagCatalogue = $state.raw<Tag[] | null>(null);

  history = $state.raw<HistoryEntry[] | null>(null);
  historyError = $state<string | null>(null);
  /** Bumped by every change made here, so views of derived data (history) know to reload. */
  revision = $state(0);

  readonly #onChanged: ((contact: Contact) => void) | undefined;
  readonly #abort = new AbortController();

  constructor(workspaceId: string, contactId: string, onChanged?: (contact: Contact) => void) {
    this.workspaceId = workspaceId;
    this.contactId = contactId;
    this.#onChanged = onChanged;
  }

  /** The rows of the side-panel layout, in order (avatar and name are its header, always shown). */
  readonly panelKeys = $derived.by(() =>
    visibleKeys(resolveLayout(this.layout?.fields ?? [], surfaceKeys('side-panel', this.customFields))),
  );

  async load(): Promise<void> {
    const signal = this.#abort.signal;
    this.status = 'loading';
    this.loadError = null;
    // Fields and layout only shape the view: without them the contact still shows.
    const [contact, fields, layout] = await Promise.allSettled([
      contactDetailApi.get(this.workspaceId, this.contactId, signal),
      catalogueApi.fields(this.workspaceId, signal),
      layoutApi.get(this.workspaceId, 'side-panel', signal),
    ]);
    if (signal.aborted) return;
    if (fields.status === 'fulfilled') this.customFields = fields.value;
    if (layout.status === 'fulfilled') this.layout = layout.value;
    if (contact.status === 'fulfilled') {
      this.contact = contact.value;
      this.status = 'ready';
    } else {
      this.loadError = errorMessage(contact.reason);
      this.status = 'error';
    }
  }

  /** Re-reads the contact (after a conflict, or to catch up) without blanking the view. */
  async refresh(): Promise<void> {
    try {
      this.apply(await contactDetailApi.get(this.workspaceId, this.contactId, this.#abort.signal));
    } catch {
      // The view keeps what it has; the next change or reopen reads it again.
    }
  }

  async reloadLayout(): Promise<void> {
    try {
      this.layout = await layoutApi.get(this.workspaceId, 'side-panel', this.#abort.signal);
    } catch {
      // Keep the layout shown so far.
    }
  }

  /**
   * Applies a changed contact in place. A plain Contact (a pushed change) leaves notes, sequences and
   * topics as they are. An answer older than what is shown is ignored: pushes and responses can cross.
   */
  apply(changed: Contact | ContactDetail): void {
    const current = this.contact;
    if (!current) {
      if ('notes' in changed) this.contact = changed;
      return;
    }
    if (changed.id !== current.id || changed.version < current.version) return;
    Object.assign(current, changed);
  }

  /**
   * A change someone else made (`contact:updated`), applied in place like any answer: an editor open
   * on a field keeps its draft, and its save meets the 409 flow. The push carries no notes, sequences
   * or topics, so those are re-read when they changed. False when it was stale or not this contact.
   */
  pushed(changed: Contact, changes: readonly { path: string }[]): boolean {
    const current = this.contact;
    if (!current || changed.id !== current.id || changed.version < current.version) return false;
    this.apply(changed);
    this.revision++;
    if (changes.some((c) => c.path === 'notes' || c.path === 'sequences' || c.path === 'otnTopics')) void this.refresh();
    return true;
  }

  async #patch(ops: ContactOp[]): Promise<Outcome> {
    try {
      this.apply(await contactDetailApi.patch(this.workspaceId, this.contactId, ops));
      this.#changed();
      return OK;
    } catch (error) {
      return failure(error);
    }
  }

  #changed(): void {
    this.revision++;
    if (this.contact) this.#onChanged?.($state.snapshot(this.contact));
  }

  addTag(tag: string): Promise<Outcome> {
    const name = tag.trim();
    if (!name) return Promise.resolve({ ok: false, message: 'Type a tag name', conflict: null });
    if (this.contact?.tags.some((t) => t.toLowerCase() === name.toLowerCase())) return Promise.resolve(OK);
    const known = this.tagCatalogue?.some((t) => t.name === name) ?? true;
    return this.#patch([addTagOp(name)]).then((outcome) => {
      // A new name created a tag: the autocomplete should offer it from now on.
      if (outcome.ok && !known) void this.loadTags(true);
      return outcome;
    });
  }

  removeTag(tag: string): Promise<Outcome> {
    return this.#patch([removeTagOp(tag)]);
  }

  removeSequence(sequenceId: string): Promise<Outcome> {
    return this.#patch([{ op: 'removeSequence', sequenceId }]);
  }

  removeOtnTopic(topicId: string): Promise<Outcome> {
    return this.#patch([{ op: 'removeOtnTopic', topicId }]);
  }

  setProfile(field: EditableProfileField, value: string | null, expected: Seen): Promise<Outcome> {
    return this.#patch([setProfileOp(field, value, expected)]);
  }

  setField(key: string, value: FieldValue, expected: Seen): Promise<Outcome> {
    return this.#patch([setFieldOp(key, value, expected)]);
  }

  clearField(key: string, expected: Seen): Promise<Outcome> {
    return this.#patch([clearFieldOp(key, expected)]);
  }

  /** "Take theirs" after a conflict: show what is stored now, then re-read for the new version. */
  takeTheirsProfile(field: EditableProfileField, current: unknown): void {
    if (this.contact) this.contact[field] = typeof current === 'string' && current !== '' ? current : null;
    void this.refresh();
  }

  takeTheirsField(key: string, current: unknown): void {
    if (this.contact) {
      if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') {
        this.contact.fields[key] = current;
      } else {
        delete this.contact.fields[key];
      }
    }
    void this.refresh();
  }

  async addNote(body: string): Promise<Outcome> {
    try {
      const note = await contactDetailApi.addNote(this.workspaceId, this.contactId, body);
      this.contact?.notes.unshift(note);
      this.#changed();
      return OK;
    } catch (error) {
      return failure(error);
    }
  }

  async editNote(noteId: string, body: string): Promise<Outcome> {
    try {
      const note = await contactDetailApi.editNote(this.workspaceId, this.contactId, noteId, body);
      const notes = this.contact?.notes;
      const i = notes?.findIndex((n) => n.id === noteId) ?? -1;
      if (notes && i >= 0) notes[i] = note;
      this.#changed();
      return OK;
    } catch (error) {
      return failure(error);
    }
  }

  async deleteNote(noteId: string): Promise<Outcome> {
    try {
      await contactDetailApi.deleteNote(this.workspaceId, this.contactId, noteId);
      if (this.contact) this.contact.notes = this.contact.notes.filter((n) => n.id !== noteId);
      this.#changed();
      return OK;
    } catch (error) {
      return failure(error);
    }
  }

  /** Erasure (supervisor+). The server removes everything about the contact. */
  async remove(): Promise<Outcome> {
    try {
      await contactDetailApi.remove(this.workspaceId, this.contactId);
      this.status = 'deleted';
      return OK;
    } catch (error) {
      return failure(error);
    }
  }

  async loadTags(force = false): Promise<void> {
    if (this.tagCatalogue && !force) return;
    try {
      this.tagCatalogue = await catalogueApi.tags(this.workspaceId, this.#abort.signal);
    } catch {
      // Without the catalogue the tag box still adds typed names; it only cannot suggest.
      this.tagCatalogue ??= [];
    }
  }

  async loadHistory(): Promise<void> {
    this.historyError = null;
    try {
      this.history = await contactDetailApi.history(this.workspaceId, this.contactId, this.#abort.signal);
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      this.historyError = errorMessage(error);
    }
  }

  /** Stops every request still running (the drawer closed or moved to another contact). */
  dispose(): void {
    this.#abort.abort();
  }
}
