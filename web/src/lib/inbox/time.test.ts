import { describe, expect, it } from 'vitest';
import { formatWhen } from './time';

describe('formatWhen', () => {
  const now = new Date(2026, 2, 12, 15, 30).getTime();
  const ago = (ms: number) => new Date(now - ms).toISOString();
  it('says now, minutes, then the time of day, the weekday, the date', () => {
    expect(formatWhen(ago(10_000), now)).toBe('now');
    expect(formatWhen(ago(5 * 60_000), now)).toBe('5m');
    expect(formatWhen(ago(3 * 3_600_000), now)).toMatch(/12.*30|30/);
    expect(formatWhen(ago(2 * 86_400_000), now)).toMatch(/^\p{L}+\.?$/u);
    expect(formatWhen(ago(40 * 86_400_000), now)).toMatch(/\d/);
    expect(formatWhen('junk', now)).toBe('');
  });
});
