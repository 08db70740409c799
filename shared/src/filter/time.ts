import { z } from 'zod';
import { IsoDateTime } from '../common.ts';

export const DAY_MS = 86_400_000;

/** A filter's date value as the instants it covers: a `YYYY-MM-DD` day, or one instant. */
export interface TimeSpan {
  kind: 'date' | 'datetime';
  /** First millisecond covered (UTC midnight for a date). */
  start: number;
  /** Last millisecond covered (start + 1 day - 1 ms for a date; the instant itself otherwise). */
  end: number;
}

const IsoDate = z.iso.date();

/** `YYYY-MM-DD` or an ISO date-time with offset, calendar-checked; anything else → null. */
export function parseFilterTime(value: unknown): TimeSpan | null {
  if (typeof value !== 'string') return null;
  if (IsoDate.safeParse(value).success) {
    const start = Date.parse(value);
    return Number.isFinite(start) ? { kind: 'date', start, end: start + DAY_MS - 1 } : null;
  }
  if (IsoDateTime.safeParse(value).success) {
    const at = Date.parse(value);
    return Number.isFinite(at) ? { kind: 'datetime', start: at, end: at } : null;
  }
  return null;
}

/** UTC midnight of the day holding `ms`. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
