import type { Filter, Segment } from '@switchboard/shared';
import { ApiError } from '$lib/api/client';
import type { ContactsView } from '$lib/contacts/contacts.svelte';
import type { FilterEditor } from '$lib/filter-builder/filter-editor.svelte';
import type { SegmentFormValues } from '$lib/segments/SegmentDialog.svelte';
import type { SegmentsStore } from '$lib/segments/segments.svelte';
import type { ContactsUrl } from './contacts-url.svelte';

interface Deps {
  segments: SegmentsStore;
  editor: FilterEditor;
  view: ContactsView;
  url: ContactsUrl;
  /** The segment shown, if any. */
  active: () => Segment | undefined;
}

/** Saving the draft filter as a segment, updating the shown segment's filter, renaming and deleting. */
export class SegmentActions {
  /** The filter to save, while the "Save as segment" dialog is open. */
  saving = $state<Filter | null>(null);
  /** The segment in the edit dialog. */
  editing = $state<Segment | null>(null);
  /** The segment in the delete dialog. */
  deleting = $state<Segment | null>(null);
  /** An "Update" of the shown segment's filter is in flight. */
  updating = $state(false);
  /** Why the last "Update" failed; shown in the filter builder until the next apply or view. */
  error = $state<string | null>(null);
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /** Opens the save dialog, unless the draft has a problem (the editor marks it). */
  openSave(): void {
    const { filter, issue } = this.#deps.editor.prepare();
    if (!issue && filter) this.saving = filter;
  }

  async save(filter: Filter, values: SegmentFormValues): Promise<void> {
    try {
      const segment = await this.#deps.segments.create({ name: values.name, description: values.description ?? undefined, filter });
      this.saving = null;
      await this.#deps.url.navigate({ segmentId: segment.id, filter: null });
    } catch (e) {
      this.#markFilterIssue(e);
      throw e;
    }
  }

  /** Gives the shown segment the draft filter. */
  async updateFilter(): Promise<void> {
    const segment = this.#deps.active();
    const { filter, issue } = this.#deps.editor.prepare();
    if (!segment || issue || !filter) return;
    this.updating = true;
    this.error = null;
    try {
      await this.#deps.segments.update(segment.id, { filter });
      await this.#deps.view.reload();
    } catch (e) {
      this.#markFilterIssue(e);
      this.error = e instanceof ApiError ? `Could not update “${segment.name}”: ${e.message}` : `Could not update “${segment.name}”.`;
    } finally {
      this.updating = false;
    }
  }

  async rename(segment: Segment, values: SegmentFormValues): Promise<void> {
    await this.#deps.segments.update(segment.id, { name: values.name, description: values.description });
    this.editing = null;
  }

  async remove(segment: Segment): Promise<void> {
    await this.#deps.segments.remove(segment.id);
    this.deleting = null;
    if (this.#deps.url.state.segmentId === segment.id) await this.#deps.url.navigate({ segmentId: null });
  }

  /** A 400 about the filter of a segment body is shown on the filter's node too. */
  #markFilterIssue(e: unknown): void {
    if (!(e instanceof ApiError) || e.code !== 'validation' || !Array.isArray(e.details)) return;
    const issue = (e.details as { path?: string; message?: string }[]).find((d) => d.path?.startsWith('filter'));
    if (issue?.path) this.#deps.editor.markPath(issue.path, issue.message ?? e.message);
  }
}
