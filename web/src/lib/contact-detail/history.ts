// Plain-text descriptions of a contact's audit entries. `changes` is free-form on the wire; the
// writers record `{ path, from, to }` for contact edits and `{ noteId, body }` for notes. Anything
// else falls back to its action name and compact JSON. Always text: never rendered as HTML.

const MAX_LINES = 12;
const MAX_TEXT = 140;

export interface Described {
  title: string;
  lines: string[];
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

function short(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'nothing';
  if (typeof value === 'string') return clip(`“${value}”`);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return clip(JSON.stringify(value));
  } catch {
    return clip(String(value));
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `contact.tag_added` → `Contact tag added`. */
export function actionLabel(action: string): string {
  const words = action.replace(/[._:-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Unknown shapes: one line per key (or item), capped. */
export function summarizeChanges(changes: unknown): string[] {
  if (changes === null || changes === undefined) return [];
  let lines: string[];
  if (Array.isArray(changes)) lines = changes.map(short);
  else if (isRecord(changes)) lines = Object.entries(changes).map(([k, v]) => `${k}: ${short(v)}`);
  else lines = [short(changes)];
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `and ${lines.length - MAX_LINES} more`] : lines;
}

export interface Naming {
  /** Names a changed path (`custom.plan` → `Plan`, `email` → `Email`). */
  label: (path: string) => string;
  /** Formats a value of that path (a datetime in the agent's locale); null to show it as is. */
  value?: (path: string, value: unknown) => string | null;
}

export function describeEntry(action: string, changes: unknown, naming: Naming): Described {
  const c = isRecord(changes) ? changes : {};
  const path = typeof c.path === 'string' ? c.path : null;
  const label = naming.label;
  const show = (v: unknown) => {
    if (v === null || v === undefined || v === '' || !path) return short(v);
    return naming.value?.(path, v) ?? short(v);
  };
  const body = (v: unknown) => (typeof v === 'string' ? [clip(v)] : []);
  switch (action) {
    case 'contact.tag_added':
      return { title: `Added tag ${short(c.to)}`, lines: [] };
    case 'contact.tag_removed':
      return { title: `Removed tag ${short(c.from)}`, lines: [] };
    case 'contact.field_set':
    case 'contact.profile_set':
      return { title: `Changed ${path ? label(path) : 'a field'}`, lines: [`${show(c.from)} → ${show(c.to)}`] };
    case 'contact.field_cleared':
      return { title: `Cleared ${path ? label(path) : 'a field'}`, lines: [`was ${show(c.from)}`] };
    case 'contact.sequence_removed':
      return { title: `Removed from sequence ${short(c.from)}`, lines: [] };
    case 'contact.otn_topic_removed':
      return { title: `Removed OTN topic ${short(c.from)}`, lines: [] };
    case 'contact.created':
      return { title: 'Created the contact', lines: [] };
    case 'contact.exported':
      return { title: 'Downloaded the contact’s data', lines: [] };
    case 'note.added':
      return { title: 'Added a note', lines: body(c.body) };
    case 'note.edited':
      return { title: 'Edited a note', lines: body(Array.isArray(c.body) ? c.body[c.body.length - 1] : c.body) };
    case 'note.deleted':
      return { title: 'Deleted a note', lines: body(c.body) };
  }
  if (path && ('from' in c || 'to' in c)) {
    return { title: actionLabel(action), lines: [`${label(path)}: ${show(c.from)} → ${show(c.to)}`] };
  }
  return { title: actionLabel(action), lines: summarizeChanges(changes) };
}
