import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
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

type Recorded = { name: string; envelope: Envelope<unknown> };

/**
 * Records what a socket receives, in arrival order. Persisted broadcasts arrive in `events`
 * packets (one per commit); each event of a packet is recorded on its own, under its API.md name,
 * and `packets` keeps the names per packet received.
 */
export function recorder(socket: ClientSocket) {
  const events: Recorded[] = [];
  const packets: string[][] = [];
  socket.onAny((name: string, payload: unknown) => {
    if (name === 'events') {
      const batch = payload as [string, Envelope<unknown>][];
      for (const [n, envelope] of batch) events.push({ name: n, envelope });
      packets.push(batch.map(([n]) => n));
    } else {
      events.push({ name, envelope: payload as Envelope<unknown> });
      packets.push([name]);
    }
  });
  return {
    events,
    packets,
    async waitFor(pred: (e: Recorded) => boolean, timeoutMs = 5000) {
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

/** Puts an in-process test app on a free loopback port, for sockets; its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
