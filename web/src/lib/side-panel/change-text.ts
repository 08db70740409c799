import type { ChangeBy, ContactChange, CustomField } from '@switchboard/shared';
import { EMPTY } from '$lib/contact-detail/format';
import { fieldLabel, fieldOf } from '$lib/contact-detail/field-meta';
import { formatValue } from '$lib/fields/registry';

/** Who made a change, as a sentence starts: the agent's name, or what kind of actor it was. */
export function actorName(by: ChangeBy | null): string {
  if (by?.name) return by.name;
  if (by?.kind === 'api') return 'An integration';
  if (by?.kind === 'system' || by?.kind === 'import' || by?.kind === 'bulk') return 'An automatic update';
  return 'Someone';
}

const text = (value: unknown) => (typeof value === 'string' ? value : String(value));

/** One change in words, with the field's label from the registry: "changed Plan: silver → gold". */
export function describeChange(change: ContactChange, customFields: readonly CustomField[]): string {
  const { path, from, to } = change;
  const added = from === null || from === undefined;
  const removed = to === null || to === undefined;
  switch (path) {
    case 'tags':
      return added ? `added tag ${text(to)}` : `removed tag ${text(from)}`;
    case 'notes':
      return added ? 'added a note' : removed ? 'deleted a note' : 'edited a note';
    case 'sequences':
      return added ? `subscribed to sequence ${text(to)}` : `removed sequence ${text(from)}`;
    case 'otnTopics':
      return added ? `opted in to topic ${text(to)}` : `removed topic ${text(from)}`;
  }
  const type = fieldOf(path, customFields)?.type ?? 'text';
  const show = (value: unknown) => formatValue(type, value) || EMPTY;
  return `changed ${fieldLabel(path, customFields)}: ${show(from)} → ${show(to)}`;
}

/** "Sam changed Plan: silver → gold; added tag vip" */
export function describeChanges(by: ChangeBy | null, changes: readonly ContactChange[], customFields: readonly CustomField[]): string {
  if (!changes.length) return `${actorName(by)} updated this contact`;
  return `${actorName(by)} ${changes.map((c) => describeChange(c, customFields)).join('; ')}`;
}
