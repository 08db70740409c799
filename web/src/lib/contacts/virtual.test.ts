import { describe, expect, it } from 'vitest';
import { rowWindow, scrollToRow } from './virtual';

describe('rowWindow', () => {
  it('renders the visible rows plus overscan, with spacers for the rest', () => {
    // 36 px rows, 360 px viewport scrolled to row 100.
    const w = rowWindow(3600, 360, 36, 1000, 5);
    expect(w).toEqual({ start: 95, end: 116, before: 95 * 36, after: (1000 - 116) * 36 });
    expect(w.before + (w.end - w.start) * 36 + w.after).toBe(1000 * 36);
  });

  it('clamps at both ends', () => {
    expect(rowWindow(0, 360, 36, 1000, 5)).toMatchObject({ start: 0, end: 16, before: 0 });
    expect(rowWindow(999_999, 360, 36, 20, 5)).toMatchObject({ start: 20, end: 20, after: 0 });
    expect(rowWindow(-50, 360, 36, 3, 5)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
  });

  it('renders nothing without rows', () => {
    expect(rowWindow(0, 500, 36, 0)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });
});

describe('scrollToRow', () => {
  it('scrolls up to a row above the viewport and down to one below it, minding the sticky header', () => {
    expect(scrollToRow(2, 360, 400, 36, 32)).toBe(72);
    expect(scrollToRow(20, 0, 400, 36, 32)).toBe(21 * 36 - 400 + 32);
    expect(scrollToRow(3, 0, 400, 36, 32)).toBeNull();
  });
});
