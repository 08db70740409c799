const timeOf = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekdayOf = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const dateOf = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullOf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A row's time: "now", minutes, the time today, the weekday this week, else the date. */
export function formatWhen(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const diff = now - t;
  if (diff < 60_000) return 'now';
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)}m`;
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  if (t >= day.getTime()) return timeOf.format(t);
  if (diff < 6 * 86_400_000) return weekdayOf.format(t);
  return dateOf.format(t);
}

/** For a `title` or `<time>` label: the full date and time. */
export function formatFull(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : fullOf.format(t);
}
