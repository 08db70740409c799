// The contact's local time, from its IANA timezone. Formatters are cached per zone and locale: the
// drawer re-renders this every tick, and constructing an Intl.DateTimeFormat is the expensive part.

export type LocalTime =
  | { ok: true; time: string; weekday: string; offset: string; zone: string }
  | { ok: false; reason: 'missing' | 'invalid'; zone: string | null };

const cache = new Map<string, { time: Intl.DateTimeFormat; weekday: Intl.DateTimeFormat; offset: Intl.DateTimeFormat } | null>();

function formatters(zone: string, locale: string | undefined) {
  const key = `${locale ?? ''}|${zone}`;
  if (!cache.has(key)) {
    try {
      cache.set(key, {
        time: new Intl.DateTimeFormat(locale, { timeZone: zone, hour: 'numeric', minute: '2-digit' }),
        weekday: new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short' }),
        offset: new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }),
      });
    } catch {
      // RangeError: not a time zone this runtime knows (a typo, or a zone newer than its tz data).
      cache.set(key, null);
    }
  }
  return cache.get(key) ?? null;
}

/** `GMT+5:30`, `GMT-3`, `GMT` as the runtime names the offset at that instant (so DST is right). */
function offsetName(format: Intl.DateTimeFormat, at: Date): string {
  const name = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  // ICU versions disagree on UTC itself (`GMT` or `GMT+0`).
  return name === 'GMT+0' || name === 'UTC' ? 'GMT' : name;
}

export function localTime(at: Date | number, zone: string | null | undefined, locale?: string): LocalTime {
  const name = zone?.trim();
  if (!name) return { ok: false, reason: 'missing', zone: null };
  const f = formatters(name, locale);
  if (!f) return { ok: false, reason: 'invalid', zone: name };
  const date = typeof at === 'number' ? new Date(at) : at;
  return {
    ok: true,
    time: f.time.format(date),
    weekday: f.weekday.format(date),
    offset: offsetName(f.offset, date),
    zone: name,
  };
}

/** One line for the drawer: `Tue 14:05 (GMT+2)`, or why there is none. */
export function localTimeLabel(value: LocalTime): string {
  if (value.ok) return `${value.weekday} ${value.time}${value.offset ? ` (${value.offset})` : ''}`;
  return value.reason === 'missing' ? 'Unknown (no timezone)' : `Unknown (“${value.zone}” is not a timezone)`;
}
