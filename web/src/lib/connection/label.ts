import type { ConnectionStatus } from './connection.svelte';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** The pill's text: short enough for the header, specific enough to act on. */
export function connectionLabel(status: ConnectionStatus, attempt: number, since: Date | null): string {
  switch (status) {
    case 'live':
      return 'Live';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return attempt > 0 ? `Reconnecting… (attempt ${attempt})` : 'Reconnecting…';
    case 'offline':
      return since ? `Offline since ${timeFormat.format(since)}` : 'Offline';
  }
}
