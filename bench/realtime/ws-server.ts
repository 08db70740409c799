// The baseline of the realtime benchmark: a plain `ws` server in its own process broadcasting the
// events the real server sent for inbound messages (captured by the clients during the Socket.IO
// run: same names, same envelopes, same sizes) at the same rate. Each event is serialised once and
// the same buffer is sent to every client, as a hand-written broadcast would. The time of the
// broadcast call of each `message:created` is that message's "accept".
import { WebSocketServer } from 'ws';
import type { Captured } from './clients.ts';
import { loopMonitor, now, type LoopStats } from './stats.ts';

export type ToWsServer =
  | { type: 'listen' }
  | { type: 'run'; prefix: string; rate: number; messages: number; groups: Captured[][]; combine: boolean }
  | { type: 'close' };
export type FromWsServer =
  | { type: 'listening'; url: string }
  | { type: 'done'; accept: number[]; loop: LoopStats; bytesPerMessage: number; clients: number }
  | { type: 'closed' };

const send = (m: FromWsServer) => process.send!(m);
const monitor = loopMonitor();
let wss: WebSocketServer | undefined;

function broadcast(frame: Buffer): void {
  for (const client of wss!.clients) client.send(frame, { binary: false });
}

/** `combine`: a message's events go out as one frame `[[name, envelope], …]` instead of one frame each. */
async function run(prefix: string, rate: number, messages: number, groups: Captured[][], combine: boolean): Promise<FromWsServer> {
  const accept = new Array<number>(messages).fill(0);
  let eventId = 0;
  let bytes = 0;
  monitor.reset();
  const start = now() + 20;
  for (let seq = 0; seq < messages; seq++) {
    const due = start + (seq * 1000) / rate;
    const wait = due - now();
    // Behind schedule it still yields, so the sockets' I/O runs between broadcasts.
    await new Promise((r) => (wait > 1 ? setTimeout(r, wait) : setImmediate(r)));
    const events = groups[seq % groups.length]!.map(({ name, envelope }) => {
      const data = name === 'message:created' ? { ...(envelope.data as object), externalId: `${prefix}${seq}` } : envelope.data;
      return [name, { ...envelope, eventId: ++eventId, at: new Date().toISOString(), data }] as const;
    });
    if (combine) {
      const frame = Buffer.from(JSON.stringify(events));
      bytes += frame.length;
      accept[seq] = now();
      broadcast(frame);
    } else {
      for (const event of events) {
        const frame = Buffer.from(JSON.stringify(event));
        bytes += frame.length;
        if (event[0] === 'message:created') accept[seq] = now();
        broadcast(frame);
      }
    }
  }
  return { type: 'done', accept, loop: monitor.snapshot(), bytesPerMessage: bytes / messages, clients: wss!.clients.size };
}

process.on('message', async (m: ToWsServer) => {
  if (m.type === 'listen') {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    await new Promise((r) => wss!.once('listening', r));
    send({ type: 'listening', url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}` });
  } else if (m.type === 'run') {
    send(await run(m.prefix, m.rate, m.messages, m.groups, m.combine));
  } else if (m.type === 'close') {
    for (const c of wss?.clients ?? []) c.terminate();
    wss?.close();
    send({ type: 'closed' });
  }
});
process.on('disconnect', () => process.exit(0));
