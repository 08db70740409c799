/** The rows to render of a fixed-height list scrolled to `scrollTop`. `end` is exclusive. */
export interface RowWindow {
  start: number;
  end: number;
  /** Heights of the spacers standing in for the rows above and below. */
  before: number;
  after: number;
}

export function rowWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): RowWindow {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(total, Math.max(0, first - overscan));
  const end = Math.min(total, first + visible + overscan);
  return { start, end, before: start * rowHeight, after: (total - end) * rowHeight };
}

/** The scrollTop that brings row `index` into view, or null when it already is. */
export function scrollToRow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number, header = 0): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  // The sticky header covers the first `header` pixels of the viewport.
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight - header) return bottom - viewportHeight + header;
  return null;
}
