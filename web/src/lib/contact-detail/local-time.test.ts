import { describe, expect, it } from 'vitest';
import { localTime, localTimeLabel } from './local-time';

// 2024-07-02 12:34:56 UTC, a Tuesday; Paris is on summer time (UTC+2), Kolkata UTC+5:30.
const at = Date.UTC(2024, 6, 2, 12, 34, 56);

describe('localTime', () => {
  it('formats the time in the contact zone, with weekday and offset', () => {
    const t = localTime(at, 'Europe/Paris', 'en-GB');
    expect(t).toEqual({ ok: true, time: '14:34', weekday: 'Tue', offset: 'GMT+2', zone: 'Europe/Paris' });
    expect(localTimeLabel(t)).toBe('Tue 14:34 (GMT+2)');
  });

  it('follows daylight saving time', () => {
    const winter = localTime(Date.UTC(2024, 0, 2, 12, 0), 'Europe/Paris', 'en-GB');
    expect(winter).toMatchObject({ ok: true, time: '13:00', offset: 'GMT+1' });
  });

  it('handles half-hour offsets and the day line', () => {
    expect(localTime(at, 'Asia/Kolkata', 'en-GB')).toMatchObject({ time: '18:04', offset: 'GMT+5:30' });
    expect(localTime(Date.UTC(2024, 6, 2, 23, 30), 'Pacific/Auckland', 'en-GB')).toMatchObject({ weekday: 'Wed', time: '11:30' });
  });

  it('says there is no timezone rather than guessing one', () => {
    for (const zone of [null, undefined, '', '   ']) {
      const t = localTime(at, zone, 'en-GB');
      expect(t).toEqual({ ok: false, reason: 'missing', zone: null });
      expect(localTimeLabel(t)).toBe('Unknown (no timezone)');
    }
  });

  it('names an invalid timezone instead of throwing', () => {
    const t = localTime(at, 'Mars/Olympus_Mons', 'en-GB');
    expect(t).toEqual({ ok: false, reason: 'invalid', zone: 'Mars/Olympus_Mons' });
    expect(localTimeLabel(t)).toContain('Mars/Olympus_Mons');
    // Cached as invalid: asking again does not throw either.
    expect(localTime(at, 'Mars/Olympus_Mons', 'en-GB').ok).toBe(false);
  });

  it('accepts UTC and a Date', () => {
    expect(localTime(new Date(at), 'UTC', 'en-GB')).toMatchObject({ ok: true, time: '12:34', offset: 'GMT' });
  });
});
