/**
 * The console's single-key shortcuts, as a pure function of the key and of where focus is, so the
 * rules ("never while typing, except Escape and ⌘K") are tested without a browser.
 */
export type ShortcutId = 'next' | 'prev' | 'open' | 'reply' | 'resolve' | 'assignMe' | 'tag' | 'note' | 'back' | 'palette' | 'help';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  isComposing?: boolean;
  defaultPrevented?: boolean;
}

export interface FocusContext {
  /** Focus is in a text field (input, textarea, select, contenteditable). */
  typing: boolean;
  /** Focus is on a control that Enter already activates (link, button). */
  interactive: boolean;
  /** A modal dialog is open: it owns the keyboard (Escape closes it). */
  inDialog: boolean;
}

const singleKeys: Record<string, ShortcutId> = {
  j: 'next',
  k: 'prev',
  r: 'reply',
  e: 'resolve',
  a: 'assignMe',
  t: 'tag',
  n: 'note',
  '?': 'help',
};

export function shortcutFor(e: KeyPress, ctx: FocusContext): ShortcutId | null {
  // An IME composing text, or a control that already handled the key (a combobox closing its list).
  if (e.isComposing || e.defaultPrevented) return null;
  if ((e.metaKey || e.ctrlKey) && !e.altKey && e.key.toLowerCase() === 'k') return 'palette';
  if (ctx.inDialog) return null;
  if (e.key === 'Escape') return 'back';
  if (ctx.typing || e.metaKey || e.ctrlKey || e.altKey) return null;
  if (e.key === 'Enter') return ctx.interactive ? null : 'open';
  return singleKeys[e.key] ?? null;
}

const textInputTypes = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'datetime-local', 'time', 'month', 'week']);

/** Where focus is, for `shortcutFor`. */
export function focusContext(target: EventTarget | null): FocusContext {
  const el = target instanceof Element ? target : null;
  const tag = el?.tagName.toLowerCase();
  const typing =
    tag === 'textarea' ||
    tag === 'select' ||
    (tag === 'input' && textInputTypes.has((el as HTMLInputElement).type || 'text')) ||
    (el instanceof HTMLElement && el.isContentEditable);
  const interactive = !!el?.closest('a[href], button, summary, [role="button"], [role="option"], [role="tab"], input, select, textarea');
  const inDialog = !!el?.closest('dialog[open]') || !!document.querySelector('dialog[open]');
  return { typing, interactive, inDialog };
}

/** What the help sheet lists, in this order. */
export const shortcutHelp: { keys: string[]; label: string }[] = [
  { keys: ['j', 'k'], label: 'Next / previous conversation' },
  { keys: ['Enter'], label: 'Open the selected conversation' },
  { keys: ['r'], label: 'Reply' },
  { keys: ['e'], label: 'Resolve (or reopen) the conversation' },
  { keys: ['a'], label: 'Assign the conversation to me' },
  { keys: ['t'], label: 'Add a tag to the contact' },
  { keys: ['n'], label: 'Add a note to the contact' },
  { keys: ['Esc'], label: 'Leave the field, then back to the list' },
  { keys: ['⌘ K', 'Ctrl K'], label: 'Command palette' },
  { keys: ['?'], label: 'This list' },
];
