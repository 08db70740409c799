/**
 * The rows ticked on the contacts page for an export or a bulk action: single rows, shift-click
 * ranges, every loaded row, or every contact matching the view (also the rows not loaded yet).
 */
export class ContactSelection {
  ids = $state.raw<ReadonlySet<string>>(new Set());
  /** Every contact of the current filter or segment, not only the loaded rows. */
  allMatching = $state(false);
  /** The row a shift-click range starts from: the last one toggled. */
  #anchor: string | null = null;

  get empty(): boolean {
    return !this.allMatching && this.ids.size === 0;
  }

  has(id: string): boolean {
    return this.allMatching || this.ids.has(id);
  }

  /** Ticks or unticks one row; with `range`, every row from the last one toggled to it takes its new state. */
  toggle(order: readonly string[], id: string, range = false): void {
    const value = !this.has(id);
    const base = this.#leaveAllMatching(order);
    this.ids = range && this.#anchor !== null ? setRange(base, order, this.#anchor, id, value) : setRange(base, order, id, id, value);
    this.#anchor = id;
  }

  /** The header checkbox: ticks every loaded row, or unticks them all when they already are. */
  toggleVisible(order: readonly string[]): void {
    const all = visibleState(this, order) === 'all';
    this.allMatching = false;
    this.ids = all ? new Set() : new Set(order);
    this.#anchor = null;
  }

  selectAllMatching(): void {
    this.allMatching = true;
  }

  clear(): void {
    this.ids = new Set();
    this.allMatching = false;
    this.#anchor = null;
  }

  /** Contacts that left the list (deleted) leave the selection. */
  forget(id: string): void {
    if (!this.ids.has(id)) return;
    const next = new Set(this.ids);
    next.delete(id);
    this.ids = next;
  }

  /** Unticking one row of "all matching" keeps the other loaded rows ticked. */
  #leaveAllMatching(order: readonly string[]): ReadonlySet<string> {
    if (!this.allMatching) return this.ids;
    this.allMatching = false;
    return new Set(order);
  }
}

/** `ids` with every id of `order` between `from` and `to` (both included, either direction) set to `value`. */
export function setRange(ids: ReadonlySet<string>, order: readonly string[], from: string, to: string, value: boolean): Set<string> {
  const next = new Set(ids);
  let a = order.indexOf(from);
  const b = order.indexOf(to);
  // The anchor scrolled away with a reload: the range is the clicked row alone.
  if (a < 0) a = b;
  for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
    const id = order[i];
    if (id === undefined) continue;
    if (value) next.add(id);
    else next.delete(id);
  }
  return next;
}

/** How much of the loaded rows is ticked, for the header checkbox (`some` shows it indeterminate). */
export function visibleState(selection: Pick<ContactSelection, 'has'>, order: readonly string[]): 'none' | 'some' | 'all' {
  let n = 0;
  for (const id of order) if (selection.has(id)) n++;
  return n === 0 ? 'none' : n === order.length ? 'all' : 'some';
}
