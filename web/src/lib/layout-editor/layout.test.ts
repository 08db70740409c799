import { describe, expect, it } from 'vitest';
import { dropIndex, moveBy, moveRow, resolveLayout, sameLayout, setVisible, surfaceKeys, visibleKeys, type LayoutRow } from './layout';

const rows = (spec: string): LayoutRow[] =>
  spec.split(' ').map((k) => (k.startsWith('-') ? { key: k.slice(1), visible: false } : { key: k, visible: true }));
const keys = (list: LayoutRow[]) => list.map((r) => r.key).join(' ');

describe('resolveLayout', () => {
  it('keeps the saved order, drops what no longer exists, appends new keys hidden', () => {
    const saved = rows('email name -phone custom.gone name');
    const resolved = resolveLayout(saved, ['name', 'email', 'phone', 'country', 'custom.plan']);
    expect(resolved).toEqual(rows('email name -phone -country -custom.plan'));
  });

  it('shows everything when there is no saved layout', () => {
    expect(resolveLayout([], ['name', 'email'])).toEqual(rows('name email'));
  });
});

describe('moving rows', () => {
  const list = rows('a b c d');

  it('moves by index, clamped', () => {
    expect(keys(moveRow(list, 0, 2))).toBe('b c a d');
    expect(keys(moveRow(list, 3, 0))).toBe('d a b c');
    expect(keys(moveRow(list, 1, 99))).toBe('a c d b');
    expect(keys(moveRow(list, 7, 0))).toBe('a b c d');
    expect(keys(list)).toBe('a b c d');
  });

  it('moves up and down by one and reports the new position', () => {
    expect(moveBy(list, 'c', -1)).toEqual({ rows: rows('a c b d'), index: 1 });
    expect(moveBy(list, 'c', 1)).toEqual({ rows: rows('a b d c'), index: 3 });
    expect(moveBy(list, 'a', -1)).toEqual({ rows: list, index: 0 });
    expect(moveBy(list, 'd', 1)).toEqual({ rows: list, index: 3 });
    expect(moveBy(list, 'zz', 1).index).toBe(-1);
  });

  it('turns a drop before or after a row into the target index', () => {
    // Dragging a (0) onto c's lower half: after c → index 2 once a has left.
    expect(keys(moveRow(list, 0, dropIndex(0, 2, true)))).toBe('b c a d');
    expect(keys(moveRow(list, 0, dropIndex(0, 2, false)))).toBe('b a c d');
    expect(keys(moveRow(list, 3, dropIndex(3, 0, false)))).toBe('d a b c');
    expect(keys(moveRow(list, 3, dropIndex(3, 1, true)))).toBe('a b d c');
    expect(keys(moveRow(list, 1, dropIndex(1, 1, true)))).toBe('a b c d');
  });
});

describe('visibility and comparison', () => {
  it('toggles one key and lists the visible ones in order', () => {
    const next = setVisible(rows('a b c'), 'b', false);
    expect(visibleKeys(next)).toEqual(['a', 'c']);
    expect(sameLayout(next, rows('a -b c'))).toBe(true);
    expect(sameLayout(next, rows('a b c'))).toBe(false);
    expect(sameLayout(next, rows('a c -b'))).toBe(false);
  });
});

describe('surfaceKeys', () => {
  const fields = [
    { id: '2', key: 'plan', label: 'Plan', type: 'select' as const, options: ['gold'], position: 1 },
    { id: '1', key: 'city', label: 'City', type: 'text' as const, position: 0 },
  ];

  it('lists system fields then custom fields in their position order', () => {
    const all = surfaceKeys('contacts-table', fields);
    expect(all.slice(0, 2)).toEqual(['avatar', 'name']);
    expect(all.slice(-2)).toEqual(['custom.city', 'custom.plan']);
  });

  it('leaves avatar and name out of the side panel, whose header always shows them', () => {
    const keys = surfaceKeys('side-panel', fields);
    expect(keys).not.toContain('name');
    expect(keys).not.toContain('avatar');
    expect(keys).toContain('custom.plan');
  });
});
