import type { CustomField, Layout } from '@switchboard/shared';
import { contactsApi } from '$lib/api/contacts';
import { ApiError } from '$lib/api/client';
import { contactFields, fieldsByKey, type ContactField } from '$lib/fields/registry';
import { filterFields, type FilterField } from '$lib/filter-builder/catalogue';

/** Shown when the layout cannot be loaded: the page stays usable. */
const fallbackColumns = ['avatar', 'name', 'email', 'phone', 'channel', 'tags', 'lastInteractionAt'];

/** What the contacts page needs to know about its workspace: fields, layout and the name lists. */
export class ContactsCatalogue {
  readonly workspaceId: string;
  customFields = $state.raw<CustomField[]>([]);
  layout = $state.raw<Layout | null>(null);
  tags = $state.raw<string[]>([]);
  sequences = $state.raw<string[]>([]);
  otnTopics = $state.raw<string[]>([]);
  /** Problems loading any of it, said once; each list that failed stays empty. */
  error = $state<string | null>(null);
  ready = $state(false);

  readonly fields: ContactField[] = $derived(contactFields(this.customFields));
  readonly filterFields: FilterField[] = $derived(filterFields(this.customFields));

  /** The table's columns: the layout's visible keys in order; keys of deleted fields are skipped. */
  readonly columns: ContactField[] = $derived.by(() => {
    const byKey = fieldsByKey(this.fields);
    const keys = this.layout ? this.layout.fields.filter((f) => f.visible).map((f) => f.key) : fallbackColumns;
    return keys.map((key) => byKey.get(key)).filter((f): f is ContactField => f !== undefined);
  });

  constructor(workspaceId: string) {
    this.workspaceId = workspaceId;
  }

  async load(): Promise<void> {
    const ws = this.workspaceId;
    const failures: string[] = [];
    const take = async <T>(what: string, call: Promise<T>, set: (value: T) => void) => {
      try {
        set(await call);
      } catch (e) {
        failures.push(e instanceof ApiError ? `${what}: ${e.message}` : what);
      }
    };
    await Promise.all([
      take('custom fields', contactsApi.fields(ws), (v) => (this.customFields = v)),
      take('layout', contactsApi.layout(ws, 'contacts-table'), (v) => (this.layout = v)),
      take('tags', contactsApi.tags(ws), (v) => (this.tags = names(v))),
      take('sequences', contactsApi.sequences(ws), (v) => (this.sequences = names(v))),
      take('OTN topics', contactsApi.otnTopics(ws), (v) => (this.otnTopics = names(v))),
    ]);
    this.error = failures.length ? `Could not load ${failures.join('; ')}.` : null;
    this.ready = true;
  }

  async reloadLayout(): Promise<void> {
    try {
      this.layout = await contactsApi.layout(this.workspaceId, 'contacts-table');
    } catch (e) {
      this.error = e instanceof ApiError ? `Could not load the layout: ${e.message}` : 'Could not load the layout.';
    }
  }
}

function names(items: { name: string }[]): string[] {
  return items.map((i) => i.name).sort((a, b) => a.localeCompare(b));
}
