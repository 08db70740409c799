/**
 * What the header pill says about the socket. `realtime.ts` drives it; nothing else writes here.
 *
 * - connecting: the first connection of this page is being made.
 * - live: connected, and events flow.
 * - reconnecting: lost, trying again (attempt n) — for the first few attempts.
 * - offline: the browser is offline or several attempts failed; still retrying in the background.
 */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** Attempts after which "reconnecting" becomes "offline" (≈ 10 s with the client's backoff). */
export const OFFLINE_AFTER_ATTEMPTS = 4;

export class ConnectionState {
  status = $state<ConnectionStatus>('connecting');
  attempt = $state(0);
  /** When the connection was lost (null while live or before the first connect). */
  since = $state<Date | null>(null);

  connected(): void {
    this.status = 'live';
    this.attempt = 0;
    this.since = null;
  }

  lost(now = new Date()): void {
    if (this.status === 'live' || this.since === null) this.since = now;
    if (this.status !== 'offline') this.status = 'reconnecting';
    this.attempt = 0;
  }

  retrying(attempt: number, browserOnline = true): void {
    this.attempt = attempt;
    this.since ??= new Date();
    this.status = !browserOnline || attempt > OFFLINE_AFTER_ATTEMPTS ? 'offline' : 'reconnecting';
  }

  browserOffline(now = new Date()): void {
    this.since ??= now;
    this.status = 'offline';
  }

  reset(): void {
    this.status = 'connecting';
    this.attempt = 0;
    this.since = null;
  }
}

export const connection = new ConnectionState();
