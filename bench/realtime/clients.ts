// The agents' side of the realtime benchmark: a separate Node process (forked by bench/realtime.ts)
// holding every client socket — socket.io-client sockets authenticated by their session cookie, or
// plain `ws` sockets for the baseline. It stamps each `message:created` the moment the listener of
// the packet (or frame) carrying it runs and, when the driver has finished posting, turns the
// stamps into latencies against the times the driver sends over.
import { io as connect, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { loopMonitor, now, percentiles, type LoopStats, type Percentiles } from './stats.ts';

export interface Target {
  url: string;
  cookie?: string;
  /** Which node the socket is connected to ("A", "B"); results are given per group too. */
  group: string;
}

export type ToClients =
  | { type: 'connect'; mode: 'sio' | 'ws'; targets: Target[]; concurrency: number }
  | { type: 'clock'; t: number }
  | { type: 'start'; prefix: string; messages: number; capture: number }
  | { type: 'count' }
  | { type: 'finish'; send: number[]; accept: number[]; window: number }
  | { type: 'disconnect' };

export interface Captured {
  name: string;
  envelope: { eventId: number; workspaceId: string; at: string; data: unknown };
}

export interface GroupResult {
  group: string;
  sockets: number;
  /** Messages the server accepted (202) × sockets in the group. */
  expected: number;
  received: number;
  missing: number;
  /** Receipt at each socket minus the moment the driver had the 202 (ws: the broadcast call). */
  fromAccept: Percentiles;
  /** Receipt minus the moment the driver started the HTTP request. */
  fromSend: Percentiles;
  /** Receipt minus the envelope's `at` (stamped in the server's write transaction, ms resolution). */
  fromCommit: Percentiles | null;
  /** Per message: the last socket's receipt minus the accept, i.e. when every socket had it. */
  lastSocket: Percentiles;
  /** p99 of fromAccept per window of `window` messages, in posting order (does latency build up?). */
  windowsP99: number[];
}

export type FromClients =
  | { type: 'connected'; ms: number; failed: number; error?: string }
  | { type: 'clock'; t: number; here: number }
  | { type: 'started' }
  | { type: 'count'; received: number }
  | {
      type: 'result';
      groups: GroupResult[];
      duplicates: number;
      disconnects: number;
      disconnectReasons: Record<string, number>;
      /** Frames (Socket.IO: packets) socket 0 received during the window, by name (`combined`: ws1's frames). */
      framesSocket0: Record<string, number>;
      captured: Captured[][];
      loop: LoopStats;
    }
  | { type: 'disconnected' };

const send = (m: FromClients) => process.send!(m);
const monitor = loopMonitor();

interface Conn {
  group: string;
  close(): void;
}
let conns: Conn[] = [];
let disconnects = 0;
/** Why sockets closed during a window (Socket.IO's disconnect reason, or the ws close code). */
let disconnectReasons: Record<string, number> = {};
const lostSocket = (why: string) => {
  if (!conns.length) return; // closed by us
  disconnects++;
  disconnectReasons[why] = (disconnectReasons[why] ?? 0) + 1;
};

interface Window {
  prefix: string;
  n: number;
  /** Receipt time per (socket, seq), socket-major; 0 = not received. */
  recv: Float64Array;
  /** The envelope's `at` per seq (from whichever socket saw it first). */
  at: Float64Array;
  received: number;
  duplicates: number;
  frames: Record<string, number>;
  capture: number;
  captured: Captured[][];
  current: Captured[];
}
let win: Window | undefined;

function onMessageCreated(socket: number, t: number, envelope: Captured['envelope']): void {
  const w = win;
  if (!w) return;
  const ext = (envelope.data as { externalId?: string | null }).externalId;
  if (!ext || !ext.startsWith(w.prefix)) return;
  const seq = Number(ext.slice(w.prefix.length));
  if (!(seq >= 0 && seq < w.n)) return;
  const i = socket * w.n + seq;
  if (w.recv[i]) w.duplicates++;
  else {
    w.recv[i] = t;
    w.received++;
  }
  if (!w.at[seq]) w.at[seq] = Date.parse(envelope.at);
}

/** Socket 0 counts every frame (Socket.IO: packet) by name. */
function onFrameOnFirst(name: string): void {
  const w = win;
  if (w) w.frames[name] = (w.frames[name] ?? 0) + 1;
}

/** Socket 0 keeps the first `capture` inbound messages' events whole (for the ws baseline to replay). */
function onEventOnFirst(name: string, envelope: Captured['envelope']): void {
  const w = win;
  if (!w || w.captured.length >= w.capture) return;
  w.current.push({ name, envelope });
  if (name === 'message:created') {
    w.captured.push(w.current);
    w.current = [];
  }
}

function openSio(index: number, target: Target): Promise<Conn> {
  const socket: Socket = connect(target.url, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: target.cookie ? { cookie: target.cookie } : {},
    reconnection: false,
    forceNew: true,
  });
  // Persisted broadcasts arrive as `events` packets: a commit's [name, envelope] pairs in order.
  socket.on('events', (batch: [string, Captured['envelope']][]) => {
    const t = now();
    for (const [name, envelope] of batch) {
      if (name === 'message:created') onMessageCreated(index, t, envelope);
      if (index === 0) onEventOnFirst(name, envelope);
    }
  });
  if (index === 0) socket.onAny(onFrameOnFirst);
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', async () => {
      socket.on('disconnect', (reason) => lostSocket(reason));
      try {
        // As the console does on every (re)connect; nothing to replay from an empty `since`.
        const ack = (await socket.timeout(60_000).emitWithAck('sync:hello', { since: {} })) as { ok: boolean };
        if (!ack.ok) throw new Error(`sync:hello refused: ${JSON.stringify(ack)}`);
        resolve({ group: target.group, close: () => socket.close() });
      } catch (err) {
        socket.close();
        reject(err as Error);
      }
    });
  });
}

function openWs(index: number, target: Target): Promise<Conn> {
  const ws = new WebSocket(target.url, { perMessageDeflate: false });
  ws.on('message', (data: Buffer) => {
    const t = now();
    const frame = JSON.parse(data.toString()) as [string, Captured['envelope']] | [string, Captured['envelope']][];
    // One event per frame, or (the baseline's "combined" variant) all of a message's events in one.
    const combined = Array.isArray(frame[0]);
    if (index === 0) onFrameOnFirst(combined ? 'combined' : (frame[0] as string));
    for (const [name, envelope] of combined ? (frame as [string, Captured['envelope']][]) : [frame as [string, Captured['envelope']]]) {
      if (name === 'message:created') onMessageCreated(index, t, envelope);
      if (index === 0) onEventOnFirst(name, envelope);
    }
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      ws.on('close', (code) => lostSocket(`close ${code}`));
      resolve({ group: target.group, close: () => ws.close() });
    });
  });
}

async function connectAll(mode: 'sio' | 'ws', targets: Target[], concurrency: number): Promise<FromClients> {
  const started = now();
  const out: Conn[] = new Array(targets.length);
  let next = 0;
  let failed = 0;
  let error: string | undefined;
  const open = mode === 'sio' ? openSio : openWs;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, targets.length) }, async () => {
      while (next < targets.length) {
        const i = next++;
        try {
          out[i] = await open(i, targets[i]!);
        } catch (err) {
          failed++;
          error ??= (err as Error).message;
        }
      }
    }),
  );
  conns = out.filter(Boolean);
  disconnects = 0;
  disconnectReasons = {};
  return { type: 'connected', ms: now() - started, failed, error };
}

function finish(sendTimes: number[], accept: number[], window: number): FromClients {
  const w = win!;
  win = undefined;
  const { n, recv, at } = w;
  const total = conns.length * n;
  const a = new Float64Array(total);
  const s = new Float64Array(total);
  const c = new Float64Array(total);
  const names = [...new Set(conns.map((x) => x.group))];
  const groups: GroupResult[] = [];
  for (const group of names.length > 1 ? [...names, 'all'] : names) {
    let k = 0;
    let kc = 0;
    let expected = 0;
    let received = 0;
    let sockets = 0;
    const last = new Float64Array(n);
    const windows: number[][] = [];
    for (let i = 0; i < conns.length; i++) {
      if (group !== 'all' && conns[i]!.group !== group) continue;
      sockets++;
      for (let seq = 0; seq < n; seq++) {
        const acc = accept[seq]!;
        if (!(acc > 0)) continue; // the server did not accept it: nobody should get it
        expected++;
        const r = recv[i * n + seq]!;
        if (!r) continue;
        received++;
        a[k] = r - acc;
        s[k] = r - sendTimes[seq]!;
        k++;
        if (at[seq]) c[kc++] = r - at[seq]!;
        if (r - acc > last[seq]!) last[seq] = r - acc;
        (windows[Math.floor(seq / window)] ??= []).push(r - acc);
      }
    }
    const lastAccepted = Float64Array.from([...last].filter((_, seq) => accept[seq]! > 0));
    groups.push({
      group,
      sockets,
      expected,
      received,
      missing: expected - received,
      fromAccept: percentiles(a.subarray(0, k)),
      fromSend: percentiles(s.subarray(0, k)),
      fromCommit: kc ? percentiles(c.subarray(0, kc)) : null,
      lastSocket: percentiles(lastAccepted),
      windowsP99: windows.map((v) => percentiles(Float64Array.from(v)).p99),
    });
  }
  return { type: 'result', groups, duplicates: w.duplicates, disconnects, disconnectReasons, framesSocket0: w.frames, captured: w.captured, loop: monitor.snapshot() };
}

process.on('message', async (m: ToClients) => {
  switch (m.type) {
    case 'connect':
      send(await connectAll(m.mode, m.targets, m.concurrency));
      break;
    case 'clock':
      send({ type: 'clock', t: m.t, here: now() });
      break;
    case 'start':
      win = {
        prefix: m.prefix,
        n: m.messages,
        recv: new Float64Array(conns.length * m.messages),
        at: new Float64Array(m.messages),
        received: 0,
        duplicates: 0,
        frames: {},
        capture: m.capture,
        captured: [],
        current: [],
      };
      monitor.reset();
      send({ type: 'started' });
      break;
    case 'count':
      send({ type: 'count', received: win?.received ?? 0 });
      break;
    case 'finish':
      send(finish(m.send, m.accept, m.window));
      break;
    case 'disconnect': {
      const closing = conns;
      conns = [];
      closing.forEach((x) => x.close());
      send({ type: 'disconnected' });
      break;
    }
  }
});
process.on('disconnect', () => process.exit(0));
