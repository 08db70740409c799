import { describe, expect, it } from 'vitest';
import { canSelectAllMatching, everyone, jobSelection, selectionLabel } from './bulk';
import { ContactSelection, setRange, visibleState } from './selection.svelte';

const order = ['1', '2', '3', '4', '5'];
const ticked = (s: ContactSelection) => order.filter((id) => s.has(id));

describe('ContactSelection', () => {
  it('ticks single rows and a shift-click range in either direction', () => {
    const s = new ContactSelection();
    s.toggle(order, '2');
    s.toggle(order, '4', true);
    expect(ticked(s)).toEqual(['2', '3', '4']);
    // A range takes the new state of the row clicked: unticking 4, then shift-clicking the ticked 2 unticks 2..4.
    s.toggle(order, '4');
    s.toggle(order, '2', true);
    expect(ticked(s)).toEqual([]);
    s.toggle(order, '5');
    s.toggle(order, '3', true);
    expect(ticked(s)).toEqual(['3', '4', '5']);
  });

  it('the header box ticks every loaded row, then unticks them', () => {
    const s = new ContactSelection();
    s.toggle(order, '1');
    expect(visibleState(s, order)).toBe('some');
    s.toggleVisible(order);
    expect(visibleState(s, order)).toBe('all');
    s.toggleVisible(order);
    expect(visibleState(s, order)).toBe('none');
    expect(s.empty).toBe(true);
  });

  it('"all matching" covers rows not loaded yet; unticking one keeps the other loaded rows', () => {
    const s = new ContactSelection();
    s.toggleVisible(order);
    s.selectAllMatching();
    expect(s.has('999')).toBe(true);
    s.toggle(order, '3');
    expect(s.allMatching).toBe(false);
    expect(ticked(s)).toEqual(['1', '2', '4', '5']);
    expect(s.has('999')).toBe(false);
  });

  it('forgets a deleted contact and clears', () => {
    const s = new ContactSelection();
    s.toggle(order, '1');
    s.toggle(order, '2');
    s.forget('1');
    expect([...s.ids]).toEqual(['2']);
    s.clear();
    expect(s.empty).toBe(true);
  });
});

describe('setRange', () => {
  it('treats an anchor that is gone as a range of the clicked row alone', () => {
    expect([...setRange(new Set(), order, 'gone', '3', true)]).toEqual(['3']);
  });
});

describe('job selection', () => {
  const scope = { q: '', filter: null, segmentId: null };

  it('names ticked rows by id, and "all matching" by segment, filter, or everyone', () => {
    expect(jobSelection({ allMatching: false, ids: new Set(['4', '2']) }, scope)).toEqual({ contactIds: ['4', '2'] });
    expect(jobSelection({ allMatching: true, ids: new Set() }, { ...scope, segmentId: '9' })).toEqual({ segmentId: '9' });
    const filter = { field: 'tags', op: 'hasAnyOf', value: ['vip'] };
    expect(jobSelection({ allMatching: true, ids: new Set() }, { ...scope, filter })).toEqual({ filter });
    expect(jobSelection({ allMatching: true, ids: new Set() }, scope)).toEqual({ filter: everyone });
  });

  it('offers "all matching" only without a search, which a job cannot select by', () => {
    expect(canSelectAllMatching(scope)).toBe(true);
    expect(canSelectAllMatching({ ...scope, q: 'ann' })).toBe(false);
  });

  it('says how many', () => {
    expect(selectionLabel({ allMatching: false, ids: new Set(['1']) }, null)).toBe('1 contact');
    expect(selectionLabel({ allMatching: true, ids: new Set() }, { value: 2000, exact: true })).toBe('all 2,000 matching contacts');
    expect(selectionLabel({ allMatching: true, ids: new Set() }, { value: 10000, exact: false })).toBe('all 10,000+ matching contacts');
  });
});
