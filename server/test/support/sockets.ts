import type { ClientToServerEvents, Envelope, ServerToClientEvents } from '@switchboard/shared';
import { io as connect, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client authenticated by the session cookie, as the console connects. */
export function socketFor(url: string, cookie: string | undefined): ClientSocket {
  return connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
  });
}

export function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** Records every broadcast a socket receives, in arrival order. */
export function recorder(socket: ClientSocket) {
  const events: { name: string; envelope: Envelope<unknown> }[] = [];
  socket.onAny((name: string, envelope: Envelope<unknown>) => events.push({ name, envelope }));
  return {
    events,
    async waitFor(pred: (e: { name: string; envelope: Envelope<unknown> }) => boolean, timeoutMs = 5000) {
      const start = Date.now();
      while (Date.now() - start < timeoutMs) {
        const hit = events.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no matching event within ${timeoutMs} ms; got ${events.map((e) => e.name).join(', ')}`);
    },
  };
}
