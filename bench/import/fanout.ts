// Fan-out latency for the import benchmark: S socket.io-client sockets in the driver's own process,
// connected as the console connects (websocket transport, session cookie in the handshake,
// `sync:hello { since: {} }`), and inbound messages (`POST /api/inbound/messages`, API key) posted at
// a steady rate round robin over a few contacts. Latency per (socket, message) = the moment the
// listener of the `events` packet carrying the message's `message:created` ran − the moment the
// driver had the 202. Same clock for both (one process); no IPC, no offset.
import { io as connect, type Socket } from 'socket.io-client';
import { now, percentiles, type Percentiles } from '../realtime/stats.ts';

export interface FanoutOptions {
  url: string;
  workspaceId: string;
  /** Session cookie the sockets connect with (shared by all of them). */
  cookie: string;
  sockets: number;
  /** Inbound messages per second. */
  rate: number;
  contacts: number;
}

export interface FanoutWindow {
  sockets: number;
  /** Messages posted in the window (sent before the cutoff). */
  posted: number;
  accepted: number;
  errors: number;
  firstError?: string;
  /** accepted × sockets. */
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  /** Deliveries whose packet was read before the 202 (negative latency; kept in the percentiles). */
  beforeAccept: number;
  /** Receipt − 202, per (socket, message), ms. */
  latency: Percentiles;
  /** Per message: the last socket's receipt − 202 (when every socket had it), ms. */
  lastSocket: Percentiles;
  /** Seconds from the first to the last post. */
  spanS: number;
}

interface Rec {
  send: number;
  accept: number;
  /** Receipt per socket; 0 = not (yet) received. */
  recv: Float64Array;
}

type Envelope = { data: unknown };

const channels = ['whatsapp', 'messenger', 'telegram', 'instagram'] as const;
const contactOf = (k: number) => ({ channel: channels[k % channels.length]!, channelUserId: `import-fanout-${k}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function login(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'switchboard' }) });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

export async function openFanout(o: FanoutOptions) {
  // An API key needs an admin (as bench/realtime.ts makes one).
  const adminCookie = await login(o.url, 'admin@demo.test');
  const created = await fetch(`${o.url}/api/workspaces/${o.workspaceId}/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: adminCookie },
    body: JSON.stringify({ name: 'import bench fan-out' }),
  });
  if (created.status !== 201) throw new Error(`API key: ${created.status} ${await created.text()}`);
  const key = ((await created.json()) as { key: string }).key;

  const recs = new Map<string, Rec>();
  let duplicates = 0;
  let disconnects = 0;
  let closing = false;
  const sockets: Socket[] = [];

  const open = (index: number) => {
    const socket: Socket = connect(o.url, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: { cookie: o.cookie },
      reconnection: false,
      forceNew: true,
    });
    socket.on('events', (batch: [string, Envelope][]) => {
      const t = now();
      for (const [name, envelope] of batch) {
        if (name !== 'message:created') continue;
        const rec = recs.get((envelope.data as { externalId?: string | null }).externalId ?? '');
        if (!rec) continue;
        if (rec.recv[index]) duplicates++;
        else rec.recv[index] = t;
      }
    });
    return new Promise<Socket>((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once('connect', async () => {
        socket.on('disconnect', () => void (closing || disconnects++));
        try {
          const ack = (await socket.timeout(60_000).emitWithAck('sync:hello', { since: {} })) as { ok: boolean };
          if (!ack.ok) throw new Error(`sync:hello refused: ${JSON.stringify(ack)}`);
          resolve(socket);
        } catch (err) {
          socket.close();
          reject(err as Error);
        }
      });
    });
  };
  for (let i = 0; i < o.sockets; i += 10) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(10, o.sockets - i) }, (_, j) => open(i + j)))));
  }

  let nextContact = 0;
  const post = (externalId: string, profile?: object) => {
    const rec: Rec = { send: now(), accept: 0, recv: new Float64Array(o.sockets) };
    recs.set(externalId, rec);
    const body = JSON.stringify({ ...contactOf(nextContact++ % o.contacts), ...(profile ? { profile } : {}), message: { externalId, text: `Hello, any news on my order? (${externalId})` } });
    const done = fetch(`${o.url}/api/inbound/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body }).then(async (res) => {
      const t = now();
      const text = await res.text();
      if (res.status === 202) rec.accept = t;
      else throw new Error(`inbound: ${res.status} ${text.slice(0, 200)}`);
    });
    return { rec, done };
  };
  const received = (list: Rec[]) => list.reduce((n, r) => n + (r.accept ? r.recv.reduce((m, x) => m + (x ? 1 : 0), 0) : 0), 0);
  /** Until every socket has every accepted message, or nothing new arrived for 10 s. */
  const drain = async (list: Rec[]) => {
    const expected = list.filter((r) => r.accept).length * o.sockets;
    let last = -1;
    let since = now();
    for (;;) {
      const got = received(list);
      if (got >= expected) return;
      if (got !== last) (last = got), (since = now());
      else if (now() - since > 10_000) return;
      await sleep(100);
    }
  };

  // Warm-up (not measured): the first message to each contact creates it and its conversation.
  const warm: Rec[] = [];
  for (let k = 0; k < o.contacts; k++) {
    const p = post(`fanout-warm-${k}`, { firstName: `Fanout${k}`, lastName: 'Bench', language: 'en' });
    await p.done;
    warm.push(p.rec);
  }
  await drain(warm);

  let windows = 0;
  return {
    key,
    /** Starts posting at the rate; `stop` ends it and returns the window's figures. */
    start() {
      const prefix = `fanout-${windows++}-`;
      const list: Rec[] = [];
      const dup0 = duplicates;
      const inFlight: Promise<void>[] = [];
      let errors = 0;
      let firstError: string | undefined;
      let running = true;
      const t0 = now() + 20;
      const loop = (async () => {
        for (let seq = 0; running; seq++) {
          const wait = t0 + (seq * 1000) / o.rate - now();
          if (wait > 1) await sleep(wait);
          if (!running) break;
          const p = post(`${prefix}${seq}`);
          list.push(p.rec);
          inFlight.push(
            p.done.catch((err: Error) => {
              errors++;
              firstError ??= err.message;
            }),
          );
        }
      })();
      return {
        /** `cutoff` (wall ms): messages sent after it are left out of the figures. */
        async stop(cutoff = Infinity): Promise<FanoutWindow> {
          running = false;
          await loop;
          await Promise.all(inFlight);
          await drain(list);
          const counted = list.filter((r) => r.send <= cutoff);
          const accepted = counted.filter((r) => r.accept);
          const lat: number[] = [];
          const last: number[] = [];
          let beforeAccept = 0;
          for (const r of accepted) {
            let worst = -Infinity;
            let all = true;
            for (const x of r.recv) {
              if (!x) {
                all = false;
                continue;
              }
              lat.push(x - r.accept);
              if (x < r.accept) beforeAccept++;
              worst = Math.max(worst, x - r.accept);
            }
            if (all) last.push(worst);
          }
          const expected = accepted.length * o.sockets;
          return {
            sockets: o.sockets,
            posted: counted.length,
            accepted: accepted.length,
            errors,
            firstError,
            expected,
            received: lat.length,
            lost: expected - lat.length,
            duplicates: duplicates - dup0,
            beforeAccept,
            latency: percentiles(Float64Array.from(lat)),
            lastSocket: percentiles(Float64Array.from(last)),
            spanS: counted.length > 1 ? (counted.at(-1)!.send - counted[0]!.send) / 1000 : 0,
          };
        },
      };
    },
    get disconnects() {
      return disconnects;
    },
    close() {
      closing = true;
      for (const s of sockets) s.close();
    },
  };
}

export type Fanout = Awaited<ReturnType<typeof openFanout>>;
