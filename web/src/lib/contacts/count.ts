import type { ContactCount } from '@switchboard/shared';

// The console is written in English; grouping follows it ("1,234") whatever the browser's locale.
const grouping = new Intl.NumberFormat('en-US');

/** "1,234" when exact, "10,000+" when the server stopped counting at a bound. */
export function formatCountValue(count: ContactCount): string {
  return grouping.format(count.value) + (count.exact ? '' : '+');
}

/** "1 contact", "1,234 contacts", "10,000+ contacts". */
export function formatContactCount(count: ContactCount): string {
  const noun = count.exact && count.value === 1 ? 'contact' : 'contacts';
  return `${formatCountValue(count)} ${noun}`;
}
