import { describe, expect, it } from 'vitest';
import { shortcutFor, type FocusContext, type KeyPress } from './keymap';

const key = (k: string, over: Partial<KeyPress> = {}): KeyPress => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...over });
const body: FocusContext = { typing: false, interactive: false, inDialog: false };
const field: FocusContext = { typing: true, interactive: true, inDialog: false };
const link: FocusContext = { typing: false, interactive: true, inDialog: false };
const dialog: FocusContext = { typing: true, interactive: true, inDialog: true };

describe('shortcutFor', () => {
  it('maps the single keys when focus is not in a field', () => {
    expect(['j', 'k', 'r', 'e', 'a', 't', 'n', '?'].map((k) => shortcutFor(key(k), body))).toEqual([
      'next',
      'prev',
      'reply',
      'resolve',
      'assignMe',
      'tag',
      'note',
      'help',
    ]);
    expect(shortcutFor(key('Enter'), body)).toBe('open');
    expect(shortcutFor(key('x'), body)).toBeNull();
  });

  it('stays quiet while typing, except Escape and ⌘K / Ctrl+K', () => {
    for (const k of ['j', 'k', 'r', 'e', 'a', 't', 'n', '?', 'Enter']) expect(shortcutFor(key(k), field)).toBeNull();
    expect(shortcutFor(key('Escape'), field)).toBe('back');
    expect(shortcutFor(key('k', { metaKey: true }), field)).toBe('palette');
    expect(shortcutFor(key('K', { ctrlKey: true }), field)).toBe('palette');
  });

  it('leaves Enter to a focused link or button, and modified keys to the browser', () => {
    expect(shortcutFor(key('Enter'), link)).toBeNull();
    expect(shortcutFor(key('j'), link)).toBe('next');
    expect(shortcutFor(key('r', { ctrlKey: true }), body)).toBeNull();
    expect(shortcutFor(key('e', { altKey: true }), body)).toBeNull();
    expect(shortcutFor(key('k', { metaKey: true, altKey: true }), body)).toBeNull();
  });

  it('leaves an open dialog its own keys (it closes on Escape) but still opens the palette', () => {
    expect(shortcutFor(key('Escape'), dialog)).toBeNull();
    expect(shortcutFor(key('j'), { ...body, inDialog: true })).toBeNull();
    expect(shortcutFor(key('k', { ctrlKey: true }), dialog)).toBe('palette');
  });

  it('ignores keys a control already handled and keys of an IME composition', () => {
    expect(shortcutFor(key('Escape', { defaultPrevented: true }), field)).toBeNull();
    expect(shortcutFor(key('j', { isComposing: true }), body)).toBeNull();
  });
});
