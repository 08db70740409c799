import { describe, expect, it } from 'vitest';
import { formatContactCount, formatCountValue } from './count';

describe('contact counts', () => {
  it('groups thousands and names the unit', () => {
    expect(formatContactCount({ value: 1234, exact: true })).toBe('1,234 contacts');
    expect(formatContactCount({ value: 0, exact: true })).toBe('0 contacts');
    expect(formatContactCount({ value: 1, exact: true })).toBe('1 contact');
  });

  it('marks a capped count with a plus', () => {
    expect(formatContactCount({ value: 10000, exact: false })).toBe('10,000+ contacts');
    expect(formatCountValue({ value: 10000, exact: false })).toBe('10,000+');
  });
});
