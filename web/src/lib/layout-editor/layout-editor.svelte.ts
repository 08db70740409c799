import type { CustomField, Layout, LayoutSurface } from '@switchboard/shared';
import { catalogueApi, layoutApi, type LayoutScope } from '$lib/api/contact-detail';
import { fieldLabel } from '$lib/contact-detail/field-meta';
import { errorMessage } from '$lib/contact-detail/ops';
import { moveBy, moveRow, resolveLayout, sameLayout, setVisible, surfaceKeys, type LayoutRow } from './layout';

/** The layout being edited for one surface: the draft rows, what is saved, and the calls that change it. */
export class LayoutDraft {
  readonly workspaceId: string;
  readonly surface: LayoutSurface;

  rows = $state.raw<LayoutRow[]>([]);
  /** The layout in effect when loaded (or last saved), resolved against the fields that exist. */
  saved = $state.raw<LayoutRow[]>([]);
  scope = $state<Layout['scope'] | null>(null);
  customFields = $state.raw<CustomField[]>([]);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  busy = $state(false);
  error = $state<string | null>(null);
  /** Read out by an aria-live region after each move. */
  announcement = $state('');

  readonly #abort = new AbortController();

  constructor(workspaceId: string, surface: LayoutSurface) {
    this.workspaceId = workspaceId;
    this.surface = surface;
  }

  get dirty(): boolean {
    return !sameLayout(this.rows, this.saved);
  }

  label(key: string): string {
    return fieldLabel(key, this.customFields);
  }

  async load(): Promise<void> {
    this.status = 'loading';
    this.error = null;
    try {
      const signal = this.#abort.signal;
      const [fields, layout] = await Promise.all([
        catalogueApi.fields(this.workspaceId, signal),
        layoutApi.get(this.workspaceId, this.surface, signal),
      ]);
      this.customFields = fields;
      this.#show(layout);
      this.status = 'ready';
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      this.error = errorMessage(error);
      this.status = 'error';
    }
  }

  #show(layout: Layout): void {
    const rows = resolveLayout(layout.fields, surfaceKeys(this.surface, this.customFields));
    this.rows = rows;
    this.saved = rows;
    this.scope = layout.scope;
  }

  setVisible(key: string, visible: boolean): void {
    this.rows = setVisible(this.rows, key, visible);
  }

  /** Moves a row by one place up (−1) or down (+1) and announces where it is now. */
  move(key: string, delta: number): void {
    const { rows, index } = moveBy(this.rows, key, delta);
    this.rows = rows;
    if (index >= 0) this.#announce(key, index);
  }

  moveTo(from: number, to: number): void {
    const key = this.rows[from]?.key;
    if (key === undefined) return;
    this.rows = moveRow(this.rows, from, to);
    this.#announce(key, this.rows.findIndex((r) => r.key === key));
  }

  #announce(key: string, index: number): void {
    this.announcement = `${this.label(key)} moved to position ${index + 1} of ${this.rows.length}`;
  }

  async save(scope: LayoutScope): Promise<boolean> {
    return this.#run(async () => {
      const fields = this.rows.map(({ key, visible }) => ({ key, visible }));
      await layoutApi.put(this.workspaceId, this.surface, fields, scope);
      this.saved = this.rows;
      // Saving the workspace default leaves a lead's own override (if any) in effect for them.
      if (scope === 'agent' || this.scope !== 'agent') this.scope = scope;
    });
  }

  /** Drops the agent's own override; the workspace default now shows. */
  async reset(): Promise<boolean> {
    return this.#run(async () => {
      this.#show(await layoutApi.reset(this.workspaceId, this.surface));
      this.announcement = 'Reset to the workspace default';
    });
  }

  async #run(action: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await action();
      return true;
    } catch (error) {
      this.error = errorMessage(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    this.#abort.abort();
  }
}
