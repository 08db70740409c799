import { describe, expect, it } from 'vitest';
import { emptyUrlState, listQuery, queryKey, readUrlState, writeUrlState } from './url-state';

const filter = { and: [{ field: 'tags', op: 'hasAnyOf', value: ['vip'] }, { or: [{ field: 'email', op: 'isSet' }] }] };

describe('contacts URL state', () => {
  it('reads an empty query string as the default view', () => {
    expect(readUrlState(new URLSearchParams(''))).toEqual({ state: emptyUrlState, problems: [] });
  });

  it('round-trips every part of a view through the query string', () => {
    const state = { q: 'ana', filter, segmentId: null, sort: 'name:asc' as const, contactId: '123' };
    const params = writeUrlState(state);
    expect(readUrlState(new URLSearchParams(params.toString()))).toEqual({ state, problems: [] });
  });

  it('leaves defaults out and writes a stable order', () => {
    expect(writeUrlState(emptyUrlState).toString()).toBe('');
    const params = writeUrlState({ ...emptyUrlState, contactId: '9', segmentId: '4', q: 'x', sort: 'subscribedAt:asc' });
    expect(params.toString()).toBe('segment=4&q=x&sort=subscribedAt%3Aasc&contact=9');
  });

  it('drops a search of only spaces', () => {
    expect(writeUrlState({ ...emptyUrlState, q: '   ' }).has('q')).toBe(false);
  });

  it('drops a broken filter, sort or id and says why', () => {
    const { state, problems } = readUrlState(new URLSearchParams('filter=%7Bnope&sort=random&segment=abc&contact=0'));
    expect(state).toEqual(emptyUrlState);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/sort/);
  });

  it('refuses a filter that parses as JSON but is not a filter tree', () => {
    const { state, problems } = readUrlState(new URLSearchParams({ filter: JSON.stringify({ and: [] }) }));
    expect(state.filter).toBeNull();
    expect(problems).toEqual(['The filter in this link could not be read; showing all contacts.']);
  });

  it('gives the same query key whatever contact is open', () => {
    const a = { ...emptyUrlState, filter, contactId: '1' };
    const b = { ...emptyUrlState, filter, contactId: '2' };
    expect(queryKey(a)).toBe(queryKey(b));
    expect(queryKey(a)).not.toBe(queryKey({ ...a, sort: 'name:asc' }));
  });

  it('builds the list parameters of the API from a view', () => {
    expect(listQuery({ q: ' ana ', filter, segmentId: '5', sort: 'name:asc' }, 'c1', 50)).toEqual({
      q: 'ana',
      filter: JSON.stringify(filter),
      segmentId: '5',
      sort: 'name:asc',
      cursor: 'c1',
      limit: 50,
    });
    expect(listQuery({ q: '', filter: null, segmentId: null, sort: 'lastInteractionAt:desc' })).toEqual({
      q: undefined,
      filter: undefined,
      segmentId: undefined,
      sort: 'lastInteractionAt:desc',
      cursor: undefined,
      limit: 100,
    });
  });
});
