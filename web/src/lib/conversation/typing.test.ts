import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXPIRE_MS, IDLE_MS, REFRESH_MS, TypingRoster, TypingSender, typingLabel } from './typing';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('TypingSender', () => {
  it('says typing once, refreshes while typing goes on, and stops after a pause', () => {
    const sent: boolean[] = [];
    const s = new TypingSender((t) => sent.push(t));
    s.input(true, 0);
    s.input(true, 500);
    s.input(true, 1000);
    expect(sent).toEqual([true]);
    s.input(true, REFRESH_MS + 1);
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(IDLE_MS);
    expect(sent).toEqual([true, true, false]);
  });

  it('stops at once when the box is emptied or the reply is sent, and only once', () => {
    const sent: boolean[] = [];
    const s = new TypingSender((t) => sent.push(t));
    s.input(true, 0);
    s.input(false, 10);
    s.stop();
    vi.advanceTimersByTime(IDLE_MS * 2);
    expect(sent).toEqual([true, false]);
  });
});

describe('TypingRoster', () => {
  it('lists who types, drops them on "stopped", and expires a typist whose stop was lost', () => {
    const seen: string[][] = [];
    const r = new TypingRoster((t) => seen.push(t.map((x) => x.name)));
    r.set({ id: 'a', name: 'Sam' }, true);
    r.set({ id: 'b', name: 'Alex' }, true);
    r.set({ id: 'a', name: 'Sam' }, true);
    r.set({ id: 'b', name: 'Alex' }, false);
    expect(seen).toEqual([['Sam'], ['Sam', 'Alex'], ['Sam']]);
    vi.advanceTimersByTime(EXPIRE_MS);
    expect(seen.at(-1)).toEqual([]);
  });

  it('words the indicator', () => {
    expect(typingLabel([])).toBe('');
    expect(typingLabel([{ id: '1', name: 'Sam' }])).toBe('Sam is typing…');
    expect(typingLabel([{ id: '1', name: 'Sam' }, { id: '2', name: 'Alex' }])).toBe('Sam and Alex are typing…');
    expect(typingLabel([{ id: '1', name: 'A' }, { id: '2', name: 'B' }, { id: '3', name: 'C' }])).toBe('3 people are typing…');
  });
});
