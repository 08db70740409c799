import { describe, expect, it } from 'vitest';
import { connectionLabel } from './label';

describe('connectionLabel', () => {
  it('names each state, with the attempt and the time the connection was lost', () => {
    expect(connectionLabel('live', 0, null)).toBe('Live');
    expect(connectionLabel('reconnecting', 0, new Date())).toBe('Reconnecting…');
    expect(connectionLabel('reconnecting', 3, new Date())).toBe('Reconnecting… (attempt 3)');
    expect(connectionLabel('offline', 9, new Date(2026, 0, 1, 14, 2))).toMatch(/^Offline since .*02/);
  });
});
