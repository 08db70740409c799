import { describe, expect, it } from 'vitest';
import { ariaSort, nextColumnSort } from './sorting';

describe('column sorting', () => {
  it('offers the sorts of the API on their columns only', () => {
    expect(nextColumnSort('name', 'lastInteractionAt:desc')).toBe('name:asc');
    expect(nextColumnSort('subscribedAt', 'name:asc')).toBe('subscribedAt:desc');
    expect(nextColumnSort('subscribedAt', 'subscribedAt:desc')).toBe('subscribedAt:asc');
    expect(nextColumnSort('subscribedAt', 'subscribedAt:asc')).toBe('subscribedAt:desc');
    expect(nextColumnSort('email', 'name:asc')).toBeNull();
  });

  it('tells assistive technology which column sorts and how', () => {
    expect(ariaSort('subscribedAt', 'subscribedAt:asc')).toBe('ascending');
    expect(ariaSort('lastInteractionAt', 'lastInteractionAt:desc')).toBe('descending');
    expect(ariaSort('name', 'lastInteractionAt:desc')).toBeUndefined();
  });
});
