// Realtime benchmark: how fast an inbound message reaches every connected agent.
//
//   npm run bench:realtime -- [--sockets 1000] [--rate 50] [--seconds 60] [--contacts 300]
//                             [--agents distinct|demo] [--only one,two,ws,ws1] [--write] [--keep]
//
// Four scenarios, each once at full size:
//   one  the real server (server/src/server.ts as `npm start` runs it) in its own process on a fresh
//        DATA_DIR with the demo seed; --sockets agents connect with socket.io-client from another
//        process (bench/realtime/clients.ts), websocket transport, session cookie in the handshake,
//        `sync:hello` after connecting, as the console does; this driver posts inbound messages
//        (`POST /api/inbound/messages`, API key) at --rate per second for --seconds, round robin over
//        --contacts contacts (created beforehand, so every message is the same work: the contact's
//        lastInteractionAt moves, the conversation gets the message; 3 events per message, which
//        the server sends as one `events` packet).
//   two  two server processes on the same DATA_DIR with REDIS_URL (Redis adapter) and a fresh
//        REDIS_PREFIX; even sockets on node A, odd on node B; messages posted to A only, so every
//        event reaches B's half through Redis. Skipped with a message when Redis is unreachable
//        (REDIS_URL, default redis://127.0.0.1:6379). Its keys are deleted afterwards.
//   ws1  the ratio's baseline: a plain `ws` server (bench/realtime/ws-server.ts, own process)
//        broadcasting the same envelopes the real server sent (captured during `one`) at the same
//        rate to as many plain `ws` clients in the clients' process, a message's events in one
//        frame as the server frames them.
//   ws   the same with one frame per event (how the server framed them before `events` packets).
//
// Latency is measured per (socket, message): the receipt is stamped in the clients' process when
// the listener of the packet carrying `message:created` runs; "accept" is the moment this driver
// had the 202 (ws: the broadcast call). Also reported: from the request start, from the envelope's `at` (stamped in the
// server's transaction), and per message when the last socket had it. All processes are on one box
// and stamp with performance.timeOrigin + performance.now(); the offset between driver and clients
// is checked over IPC. Every socket must get every accepted message: losses are counted.
// Event-loop delay of the server comes from bench/realtime/server-preload.ts, loaded with --import
// into the server process only by this benchmark.
//
// --agents distinct (default) creates --sockets agents as members of the demo workspace
//          (`POST /api/workspaces/:ws/members`) and signs each in once: one session per socket;
//          demo signs the 4 demo agents in --sockets/4 times each (faster set-up).
// --write  replaces the generated part of the "Realtime" section of bench/README.md.
// --keep   keeps the data directory (printed).
// --profile DIR  writes a V8 CPU profile of each server process to DIR (for finding where time goes).
// --database postgres  runs the nodes on a fresh PostgreSQL database on PG_ADMIN_URL (dropped
//          afterwards) instead of DATA_DIR's SQLite file; figures to bench/README.md "PostgreSQL" by hand.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Captured, FromClients, GroupResult, Target, ToClients } from './realtime/clients.ts';
import { loopMonitor, now, percentiles, type LoopStats, type Percentiles } from './realtime/stats.ts';
import type { FromWsServer, ToWsServer } from './realtime/ws-server.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');

const { values: opt } = parseArgs({
  options: {
    sockets: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    contacts: { type: 'string', default: '300' },
    agents: { type: 'string', default: 'distinct' },
    only: { type: 'string', default: 'one,two,ws,ws1' },
    warmup: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    profile: { type: 'string' },
    database: { type: 'string', default: 'sqlite' },
  },
});
const SOCKETS = Number(opt.sockets);
const RATE = Number(opt.rate);
const SECONDS = Number(opt.seconds);
const CONTACTS = Number(opt.contacts);
const WARMUP_S = Number(opt.warmup);
const MESSAGES = Math.round(RATE * SECONDS);
const ONLY = new Set(opt.only.split(','));
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const TARGET = { one: 50, two: 100 };
const PASSWORD = 'bench-realtime-pw';
if (!(SOCKETS >= 1 && RATE > 0 && SECONDS > 0 && CONTACTS >= 1) || !['distinct', 'demo'].includes(opt.agents)) {
  console.error('--sockets, --rate, --seconds, --contacts must be positive; --agents distinct|demo');
  process.exit(2);
}

const log = (...a: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
/** Load average and, where the kernel has it, CPU pressure (share of time something waited for a CPU, last 60 s). */
const load = () => {
  let psi = '';
  try {
    const m = /some avg10=([\d.]+) avg60=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    if (m) psi = `, CPU pressure ${m[2]} %`;
  } catch {
    // no PSI on this kernel
  }
  return `${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}${psi}`;
};
/** Busy and total CPU time of the whole box so far (/proc/stat, in clock ticks). */
function boxCpu(): { busy: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - f[3]! - f[4]!, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

// ---------------------------------------------------------------- child processes

const children = new Set<ChildProcess>();

/** Sends a message to a child and resolves with its first reply of the given type. */
function ask<R extends { type?: string; bench?: string }>(child: ChildProcess, msg: unknown, reply: string, timeoutMs = 600_000): Promise<R> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      child.off('message', on);
      rej(new Error(`no "${reply}" from child ${child.pid} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (m: R) => {
      if (m?.type !== reply && m?.bench !== reply) return;
      clearTimeout(timer);
      child.off('message', on);
      res(m);
    };
    child.on('message', on);
    child.send(msg as never);
  });
}

function forkTs(file: string): ChildProcess {
  const child = fork(join(here, 'realtime', file), [], { cwd: repoRoot, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

interface Node {
  name: string;
  url: string;
  loopReset(): Promise<void>;
  loopReport(): Promise<LoopStats>;
  stop(): Promise<void>;
}

/** The real server, as `npm start` runs it, plus the bench-only preload watching its event loop. */
function startNode(name: string, env: Record<string, string>): Promise<Node> {
  const profile = opt.profile ? ['--cpu-prof', '--cpu-prof-dir', resolve(opt.profile)] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', '--import', './bench/realtime/server-preload.ts', 'server/src/server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  let out = '';
  let up = false;
  const exited = new Promise<void>((r) => child.once('exit', () => (children.delete(child), r())));
  child.once('exit', (code) => up && code !== 0 && code !== null && console.error(`server ${name} exited with ${code}:\n${out.slice(-4000)}`));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), rej(new Error(`server ${name} did not start:\n${out}`))), 120_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (!up && out.length > 100_000) out = out.slice(-50_000);
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m && !up) {
        up = true;
        clearTimeout(timer);
        res({
          name,
          url: m[1]!.replace('localhost', '127.0.0.1'),
          loopReset: async () => void (await ask(child, { bench: 'eld:reset' }, 'eld:reset:ok', 10_000)),
          loopReport: async () => (await ask<{ bench: string; stats: LoopStats }>(child, { bench: 'eld:report' }, 'eld', 10_000)).stats,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
      // Warnings and errors stay visible (LOG_LEVEL=warn); the banner is not interesting.
      if (up && /"level":(40|50|60)/.test(chunk.toString())) process.stderr.write(`[server ${name}] ${chunk.toString().slice(0, 2000)}`);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => !up && (clearTimeout(timer), rej(new Error(`server ${name} exited with ${code} before listening:\n${out}`))));
  });
}

// ---------------------------------------------------------------- HTTP

async function api(base: string, path: string, init: { method?: string; body?: unknown; cookie?: string; key?: string } = {}) {
  const res = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, headers: res.headers };
}

async function login(base: string, email: string, password: string): Promise<string> {
  const r = await api(base, '/api/auth/login', { method: 'POST', body: { email, password } });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}

const channels = ['whatsapp', 'messenger', 'telegram', 'instagram'] as const;
const contactOf = (k: number) => ({ channel: channels[k % channels.length]!, channelUserId: `rt-bench-${k}` });
const lines = [
  'Hi, I ordered last week and the parcel still says "label created". Can you check it?',
  'Is the spring discount still valid for the blue model?',
  'I got charged twice for order, can you refund one of them please?',
  'Thanks! And can I change the delivery address to my office?',
];

// ---------------------------------------------------------------- set-up

interface Setup {
  workspaceId: string;
  key: string;
  cookies: string[];
  agentsNote: string;
}

async function setUp(base: string): Promise<Setup> {
  const adminCookie = await login(base, 'admin@demo.test', 'switchboard');
  const me = await api(base, '/api/auth/me', { cookie: adminCookie });
  const workspaceId = (me.body!.memberships as { workspaceId: string; role: string }[]).find((m) => m.role === 'admin')!.workspaceId;
  const created = await api(base, `/api/workspaces/${workspaceId}/api-keys`, { method: 'POST', cookie: adminCookie, body: { name: 'realtime bench' } });
  if (created.status !== 201) throw new Error(`API key: ${created.status} ${JSON.stringify(created.body)}`);
  const key = created.body!.key as string;

  let t = now();
  let cookies: string[];
  let agentsNote: string;
  if (opt.agents === 'distinct') {
    const width = String(SOCKETS).length;
    const email = (i: number) => `rt-agent-${String(i).padStart(width, '0')}@bench.test`;
    await pool(SOCKETS, 8, async (i) => {
      const r = await api(base, `/api/workspaces/${workspaceId}/members`, {
        method: 'POST',
        cookie: adminCookie,
        body: { email: email(i), name: `Bench Agent ${i}`, role: 'agent', password: PASSWORD },
      });
      if (r.status !== 201) throw new Error(`member ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    });
    log(`created ${SOCKETS} agents in ${((now() - t) / 1000).toFixed(1)} s`);
    t = now();
    cookies = await pool(SOCKETS, 8, (i) => login(base, email(i), PASSWORD));
    agentsNote = `${SOCKETS} distinct agents (role agent), one session each`;
  } else {
    const demo = ['agent@demo.test', 'supervisor@demo.test', 'lead@demo.test', 'admin@demo.test'];
    cookies = await pool(SOCKETS, 8, (i) => login(base, demo[i % demo.length]!, 'switchboard'));
    agentsNote = `the 4 demo agents signed in ${Math.ceil(SOCKETS / 4)} times each (one session per socket)`;
  }
  log(`signed in ${SOCKETS} sessions in ${((now() - t) / 1000).toFixed(1)} s`);

  // Every contact exists before the measured runs: each message is then the same work.
  t = now();
  await pool(CONTACTS, 8, async (k) => {
    const r = await api(base, '/api/inbound/messages', {
      method: 'POST',
      key,
      body: { ...contactOf(k), profile: { firstName: `Bench${k}`, lastName: 'Contact', language: 'en' }, message: { externalId: `rt-seed-${k}`, text: 'Hello!' } },
    });
    if (r.status !== 202) throw new Error(`contact ${k}: ${r.status} ${JSON.stringify(r.body)}`);
  });
  log(`created ${CONTACTS} contacts with a conversation each in ${((now() - t) / 1000).toFixed(1)} s`);
  return { workspaceId, key, cookies, agentsNote };
}

// ---------------------------------------------------------------- one measured run

interface PostStats {
  sent: number;
  accepted: number;
  errors: number;
  firstError?: string;
  /** Failed requests by cause (HTTP status or the network error's code). */
  failures: Record<string, number>;
  http: Percentiles;
  /** Seconds from the first to the last request start. */
  spanS: number;
}

/** Posts `n` inbound messages at RATE, fire-and-forget on schedule; returns send and 202 times. */
async function postAll(base: string, key: string, prefix: string, n: number) {
  const send = new Array<number>(n).fill(0);
  const accept = new Array<number>(n).fill(0);
  let errors = 0;
  let firstError: string | undefined;
  const failures: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  const start = now() + 20;
  for (let seq = 0; seq < n; seq++) {
    const wait = start + (seq * 1000) / RATE - now();
    await new Promise((r) => (wait > 1 ? setTimeout(r, wait) : setImmediate(r)));
    const k = seq % CONTACTS;
    const body = JSON.stringify({ ...contactOf(k), message: { externalId: `${prefix}${seq}`, text: `${lines[seq % lines.length]} (#${seq})` } });
    send[seq] = now();
    inFlight.push(
      fetch(`${base}/api/inbound/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body })
        .then(async (res) => {
          const t = now();
          const text = await res.text();
          if (res.status === 202) accept[seq] = t;
          else {
            errors++;
            failures[`HTTP ${res.status}`] = (failures[`HTTP ${res.status}`] ?? 0) + 1;
            firstError ??= `${res.status} ${text.slice(0, 200)}`;
          }
        })
        .catch((err: Error & { cause?: { code?: string; message?: string } }) => {
          errors++;
          const why = err.cause?.code ?? err.cause?.message ?? err.message;
          failures[why] = (failures[why] ?? 0) + 1;
          firstError ??= `${err.message} (${why})`;
        }),
    );
  }
  const spanS = (send[n - 1]! - send[0]!) / 1000;
  await Promise.all(inFlight);
  const http = percentiles(Float64Array.from(accept.map((a, i) => (a ? a - send[i]! : NaN)).filter((v) => !Number.isNaN(v))));
  const stats: PostStats = { sent: n, accepted: accept.filter((a) => a > 0).length, errors, firstError, failures, http, spanS };
  return { send, accept, stats };
}

/** Waits until every socket has every accepted message, or nothing arrived for 10 s. */
async function drain(clients: ChildProcess, expected: number): Promise<void> {
  let last = -1;
  let since = now();
  for (;;) {
    const { received } = await ask<Extract<FromClients, { type: 'count' }>>(clients, { type: 'count' } satisfies ToClients, 'count');
    if (received >= expected) return;
    if (received !== last) (last = received), (since = now());
    else if (now() - since > 10_000) return;
    await sleep(200);
  }
}

interface RunResult {
  name: string;
  groups: GroupResult[];
  duplicates: number;
  disconnects: number;
  disconnectReasons: Record<string, number>;
  frames: Record<string, number>;
  captured: Captured[][];
  clientsLoop: LoopStats;
  nodesLoop: Record<string, LoopStats>;
  post?: PostStats;
  ws?: { bytesPerMessage: number };
  loadBefore: string;
  connectS: number;
  /** Share of the box's CPUs busy (all processes, ours and others') during the measured run, %. */
  boxBusyPct: number;
}

async function connectClients(clients: ChildProcess, mode: 'sio' | 'ws', targets: Target[]): Promise<number> {
  const c = await ask<Extract<FromClients, { type: 'connected' }>>(clients, { type: 'connect', mode, targets, concurrency: 50 } satisfies ToClients, 'connected');
  if (c.failed) throw new Error(`${c.failed} of ${targets.length} sockets failed to connect: ${c.error}`);
  log(`connected ${targets.length} ${mode === 'sio' ? 'socket.io-client' : 'ws'} sockets in ${(c.ms / 1000).toFixed(1)} s`);
  return c.ms / 1000;
}

async function disconnectClients(clients: ChildProcess): Promise<void> {
  await ask(clients, { type: 'disconnect' } satisfies ToClients, 'disconnected');
  await sleep(500);
}

async function runSio(name: string, clients: ChildProcess, nodes: Node[], post: Node, key: string, targets: Target[], tag: string): Promise<RunResult> {
  const connectS = await connectClients(clients, 'sio', targets);
  // Warm-up at the same rate, not measured (JIT, SQLite cache, connection pools).
  if (WARMUP_S > 0) {
    const w = await postAll(post.url, key, `rt-${tag}-warm-`, Math.round(WARMUP_S * RATE));
    if (w.stats.errors) throw new Error(`warm-up: ${w.stats.errors} errors, first: ${w.stats.firstError}`);
    await sleep(1000);
  }
  const loadBefore = load();
  const prefix = `rt-${tag}-`;
  await ask(clients, { type: 'start', prefix, messages: MESSAGES, capture: 200 } satisfies ToClients, 'started');
  const box0 = boxCpu();
  await Promise.all(nodes.map((n) => n.loopReset()));
  log(`${name}: posting ${MESSAGES} messages to ${post.name} at ${RATE}/s (load ${loadBefore})`);
  const p = await postAll(post.url, key, prefix, MESSAGES);
  const nodesLoop = Object.fromEntries(await Promise.all(nodes.map(async (n) => [n.name, await n.loopReport()] as const)));
  await drain(clients, p.stats.accepted * targets.length);
  const box1 = boxCpu();
  const r = await ask<Extract<FromClients, { type: 'result' }>>(clients, { type: 'finish', send: p.send, accept: p.accept, window: RATE * 10 } satisfies ToClients, 'result');
  await disconnectClients(clients);
  if (p.stats.errors) log(`${name}: ${p.stats.errors} requests failed; first: ${p.stats.firstError}`);
  return { name, groups: r.groups, duplicates: r.duplicates, disconnects: r.disconnects, disconnectReasons: r.disconnectReasons, frames: r.framesSocket0, captured: r.captured, clientsLoop: r.loop, nodesLoop, post: p.stats, loadBefore, connectS, boxBusyPct: (100 * (box1.busy - box0.busy)) / (box1.total - box0.total) };
}

async function runWs(clients: ChildProcess, captured: Captured[][], combine: boolean): Promise<RunResult> {
  const name = combine ? 'ws1' : 'ws';
  const server = forkTs('ws-server.ts');
  const { url } = await ask<Extract<FromWsServer, { type: 'listening' }>>(server, { type: 'listen' } satisfies ToWsServer, 'listening');
  const targets = Array.from({ length: SOCKETS }, (): Target => ({ url, group: 'ws' }));
  const connectS = await connectClients(clients, 'ws', targets);
  const prefix = `rt-${name}-`;
  if (WARMUP_S > 0) {
    await ask(server, { type: 'run', prefix: `rt-${name}-warm-`, rate: RATE, messages: Math.round(WARMUP_S * RATE), groups: captured, combine } satisfies ToWsServer, 'done');
    await sleep(1000);
  }
  const loadBefore = load();
  await ask(clients, { type: 'start', prefix, messages: MESSAGES, capture: 0 } satisfies ToClients, 'started');
  const box0 = boxCpu();
  log(`${name}: broadcasting ${MESSAGES} messages (${captured[0]?.length ?? 0} events each${combine ? ', in one frame' : ''}) at ${RATE}/s (load ${loadBefore})`);
  const done = await ask<Extract<FromWsServer, { type: 'done' }>>(
    server,
    { type: 'run', prefix, rate: RATE, messages: MESSAGES, groups: captured, combine } satisfies ToWsServer,
    'done',
  );
  await drain(clients, MESSAGES * SOCKETS);
  const box1 = boxCpu();
  const r = await ask<Extract<FromClients, { type: 'result' }>>(
    clients,
    { type: 'finish', send: done.accept, accept: done.accept, window: RATE * 10 } satisfies ToClients,
    'result',
  );
  await disconnectClients(clients);
  await ask(server, { type: 'close' } satisfies ToWsServer, 'closed');
  server.kill();
  return {
    name,
    groups: r.groups,
    duplicates: r.duplicates,
    disconnects: r.disconnects,
    disconnectReasons: r.disconnectReasons,
    frames: r.framesSocket0,
    captured: [],
    clientsLoop: r.loop,
    nodesLoop: { ws: done.loop },
    ws: { bytesPerMessage: done.bytesPerMessage },
    loadBefore,
    connectS,
    boxBusyPct: (100 * (box1.busy - box0.busy)) / (box1.total - box0.total),
  };
}

// ---------------------------------------------------------------- Redis

async function redisUp(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function dropRedisKeys(prefix: string): Promise<number> {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  let n = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) n += await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return n;
}

// ---------------------------------------------------------------- main

const dataDir = mkdtempSync(join(os.tmpdir(), 'sb-bench-rt-'));
const redisPrefix = `sb-bench-rt-${randomUUID().slice(0, 8)}`;
let usedRedis = false;
const nodes: Node[] = [];

async function cleanUp(): Promise<void> {
  await Promise.allSettled(nodes.splice(0).map((n) => n.stop()));
  for (const c of children) c.kill('SIGKILL');
  if (usedRedis) {
    const n = await dropRedisKeys(redisPrefix).catch(() => 0);
    log(`deleted ${n} Redis keys under ${redisPrefix}`);
  }
  if (opt.keep) log(`kept ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
  if (pgDatabase) await adminQuery(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`);
}

/** With --database postgres: the nodes' database, created fresh and dropped by cleanUp. */
const pgAdmin = process.env.PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const pgDatabase = opt.database === 'postgres' ? `sb_bench_rt_${process.pid}` : undefined;
async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgAdmin });
  await client.connect();
  await client.query(text).finally(() => client.end());
}
if (pgDatabase) await adminQuery(`CREATE DATABASE ${pgDatabase}`);
const databaseEnv: Record<string, string> = pgDatabase ? { DATABASE_URL: Object.assign(new URL(pgAdmin), { pathname: `/${pgDatabase}` }).href } : {};
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

const started = now();
const driverLoop = loopMonitor();
const results: RunResult[] = [];
const notes: string[] = [];
let setupNote = '';
const loadAtStart = load();

try {
  const env = { DATA_DIR: dataDir, LOGIN_RATE_LIMIT: '10000', INBOUND_RATE_LIMIT: '1000000', ...databaseEnv };
  log(`data ${dataDir}; ${SOCKETS} sockets, ${RATE} msg/s for ${SECONDS} s; load ${loadAtStart}`);
  const first = await startNode('A', env);
  nodes.push(first);
  const setup = await setUp(first.url);
  setupNote = setup.agentsNote;
  const clients = forkTs('clients.ts');

  // Clock check: the clients' stamps are compared with the driver's.
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const t = now();
    const r = await ask<Extract<FromClients, { type: 'clock' }>>(clients, { type: 'clock', t } satisfies ToClients, 'clock');
    const t2 = now();
    if (t2 - t < best.rtt) best = { rtt: t2 - t, offset: r.here - (t + t2) / 2 };
  }
  notes.push(`clock offset clients − driver ${best.offset.toFixed(3)} ms (± ${(best.rtt / 2).toFixed(3)} ms)`);
  log(notes.at(-1));

  let captured: Captured[][] = [];
  if (ONLY.has('one')) {
    const targets = setup.cookies.map((cookie): Target => ({ url: first.url, cookie, group: 'A' }));
    const r = await runSio('one node', clients, [first], first, setup.key, targets, 'one');
    results.push(r);
    captured = r.captured;
  }
  await first.stop();
  nodes.splice(0);

  // The baselines right after the 1-node run (the closest in time, for the ratio); they replay its events.
  let baselinesDone = false;
  const baselines = async () => {
    baselinesDone = true;
    for (const [name, combine] of [['ws', false], ['ws1', true]] as const) {
      if (!ONLY.has(name)) continue;
      if (!captured.length) throw new Error('the ws baseline replays events captured from a Socket.IO run: include one or two in --only');
      results.push(await runWs(clients, captured, combine));
    }
  };
  if (captured.length) await baselines();

  if (ONLY.has('two')) {
    if (!(await redisUp())) {
      console.log(`\n!! Redis is not reachable at ${REDIS_URL}: skipping the two-node scenario (start Redis or set REDIS_URL).\n`);
      notes.push(`two nodes skipped: Redis not reachable at ${REDIS_URL}`);
    } else {
      usedRedis = true;
      const redisEnv = { ...env, REDIS_URL, REDIS_PREFIX: redisPrefix };
      // One after the other: both run the (already applied) migrations at start.
      const a = await startNode('A', redisEnv);
      nodes.push(a);
      const b = await startNode('B', redisEnv);
      nodes.push(b);
      const targets = setup.cookies.map((cookie, i): Target => (i % 2 === 0 ? { url: a.url, cookie, group: 'A' } : { url: b.url, cookie, group: 'B' }));
      const r = await runSio('two nodes', clients, [a, b], a, setup.key, targets, 'two');
      results.push(r);
      if (!captured.length) captured = r.captured;
      await Promise.all(nodes.splice(0).map((n) => n.stop()));
    }
  }

  if (!baselinesDone) await baselines();
  clients.kill();
} finally {
  await cleanUp();
}

// ---------------------------------------------------------------- report

const totalS = (now() - started) / 1000;
const cpu = os.cpus();
const machine = `${cpu.length} cores (${cpu[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${os.type()} ${os.release()}`;
const date = new Date().toISOString().slice(0, 10);
const label: Record<string, string> = {
  'one node': '1 node',
  'two nodes': '2 nodes',
  ws: 'plain `ws`, one frame per event',
  ws1: 'plain `ws` baseline (one frame per message)',
};
const groupLabel = (run: RunResult, g: GroupResult) =>
  run.name === 'two nodes' ? (g.group === 'A' ? '2 nodes: sockets on A (posting node)' : g.group === 'B' ? '2 nodes: sockets on B (via Redis)' : '2 nodes: all sockets') : label[run.name]!;
const loopOf = (run: RunResult, g: GroupResult) => run.nodesLoop[run.name.startsWith('ws') ? 'ws' : g.group === 'all' ? '' : g.group];

const order = ['one node', 'two nodes', 'ws', 'ws1'];
results.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));

const table = [
  '| scenario | sockets | messages accepted / posted | deliveries expected / received | p50 | p95 | p99 | max | p99 from request start | server event-loop delay p50 / p99 / max |',
  '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
];
for (const run of results) {
  for (const g of run.groups) {
    const l = loopOf(run, g);
    const msgs = run.post ? `${run.post.accepted} / ${run.post.sent}` : `${MESSAGES} / ${MESSAGES}`;
    table.push(
      `| ${groupLabel(run, g)} | ${g.sockets} | ${msgs} | ${g.expected.toLocaleString('en-US')} / ${g.received.toLocaleString('en-US')} | ${ms(g.fromAccept.p50)} | ${ms(g.fromAccept.p95)} | **${ms(g.fromAccept.p99)}** | ${ms(g.fromAccept.max)} | ${run.post ? ms(g.fromSend.p99) : '–'} | ${l ? `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}` : '(per node above)'} |`,
    );
  }
}

const verdicts: string[] = [];
const one = results.find((r) => r.name === 'one node');
const two = results.find((r) => r.name === 'two nodes');
// The ratio is against the baseline that frames a message the way the server now does: one frame.
const ws = results.find((r) => r.name === 'ws1') ?? results.find((r) => r.name === 'ws');
const all = (r: RunResult) => r.groups.find((g) => g.group === 'all') ?? r.groups[0]!;
const lost = (r: RunResult) => r.groups.filter((g) => g.group !== 'all').reduce((n, g) => n + g.missing, 0);
/** PASS: p99 under the target from the 202 and from the request start, no failed request, nothing lost. */
function verdict(run: RunResult, target: number, title: string): string {
  const p99 = Math.max(...run.groups.map((g) => g.fromAccept.p99));
  const p99Send = Math.max(...run.groups.map((g) => g.fromSend.p99));
  const failed = run.post?.errors ?? 0;
  const ok = p99 < target && p99Send < target && !failed && !lost(run);
  const why = [
    `p99 ${ms(p99)} ms from the 202`,
    `${ms(p99Send)} ms from the request start`,
    ...(failed ? [`${failed} of ${run.post!.sent} requests failed`] : []),
    ...(lost(run) ? [`${lost(run)} deliveries lost`] : []),
  ];
  return `- ${title}, p99 < ${target} ms: **${ok ? 'PASS' : 'MISS'}** (${why.join(', ')})`;
}
if (one) verdicts.push(verdict(one, TARGET.one, '1 node'));
if (two) verdicts.push(verdict(two, TARGET.two, '2 nodes over Redis (worse half)'));
if (one && ws) {
  const a = all(one).fromAccept;
  const b = all(ws).fromAccept;
  const cpuPerMessage = (r: RunResult) => {
    const l = Object.values(r.nodesLoop)[0]!;
    return ((l.cpuPct / 100) * l.windowS * 1000) / (r.post ? r.post.accepted : MESSAGES);
  };
  const x = (p: number, q: number) => `${(p / q).toFixed(p / q < 0.95 ? 2 : 1)}×`;
  verdicts.push(
    `- Socket.IO (1 node) vs ${label[ws.name]}: p50 ${ms(a.p50)} vs ${ms(b.p50)} ms (${x(a.p50, b.p50)}), p99 ${ms(a.p99)} vs ${ms(b.p99)} ms (${x(a.p99, b.p99)}); server CPU per message ${cpuPerMessage(one).toFixed(1)} vs ${cpuPerMessage(ws).toFixed(1)} ms (${x(cpuPerMessage(one), cpuPerMessage(ws))})`,
  );
}

// The same runs from other starting points, and where the CPU went.
const cpuS = (l: LoopStats) => (l.cpuPct / 100) * l.windowS;
const more = [
  '| scenario | request → 202 p50 / p99 | from request start p50 / p99 | from `at` p50 / p99 | last socket per message p50 / p99 | p99 per 10 s | server CPU per message | clients\' process CPU / event-loop delay p99 |',
  '|---|--:|--:|--:|--:|--:|--:|--:|',
];
for (const run of results) {
  const msgs = run.post ? run.post.accepted : MESSAGES;
  for (const g of run.groups) {
    const l = loopOf(run, g);
    more.push(
      `| ${groupLabel(run, g)} | ${run.post ? `${ms(run.post.http.p50)} / ${ms(run.post.http.p99)}` : '–'} | ${run.post ? `${ms(g.fromSend.p50)} / ${ms(g.fromSend.p99)}` : '–'} | ${ms(g.fromCommit?.p50)} / ${ms(g.fromCommit?.p99)} | ${ms(g.lastSocket.p50)} / ${ms(g.lastSocket.p99)} | ${g.windowsP99.map(ms).join(', ')} | ${l ? `${((cpuS(l) * 1000) / msgs).toFixed(1)} ms (${l.cpuPct.toFixed(0)} % of a core)` : '–'} | ${run.clientsLoop.cpuPct.toFixed(0)} % / ${ms(run.clientsLoop.p99)} ms |`,
    );
  }
}

const detail: string[] = [];
for (const run of results) {
  const frames = Object.entries(run.frames)
    .map(([k, v]) => `${k} ${(v / (run.post ? run.post.accepted : MESSAGES)).toFixed(2)}`)
    .join(', ');
  const parts = [
    `load average before ${run.loadBefore}`,
    `the box's CPUs ${run.boxBusyPct.toFixed(0)} % busy during the run (all processes; this run's: ${Object.values(run.nodesLoop)
      .map((l) => l.cpuPct.toFixed(0))
      .join(' + ')} % of a core for the server${Object.keys(run.nodesLoop).length > 1 ? 's' : ''}, ${run.clientsLoop.cpuPct.toFixed(0)} % for the clients)`,
    `${run.connectS.toFixed(1)} s to connect the sockets`,
    `frames per message at one socket: ${frames || '–'}`,
    ...(run.ws ? [`${Math.round(run.ws.bytesPerMessage)} bytes of frames per message, each frame encoded once and sent to every client`] : []),
    ...(run.post
      ? [
          `${run.post.accepted}/${run.post.sent} requests accepted, posted over ${run.post.spanS.toFixed(1)} s${run.post.errors ? ` (failed: ${Object.entries(run.post.failures).map(([k, v]) => `${v} ${k}`).join(', ')})` : ''}`,
        ]
      : []),
    ...Object.entries(run.nodesLoop).map(
      ([n, l]) => `${n === 'ws' ? 'ws server' : `server ${n}`} ${cpuS(l).toFixed(1)} s CPU in ${l.windowS.toFixed(1)} s, RSS ${l.rssMb.toFixed(0)} MB, event-loop delay mean ${ms(l.mean)} ms`,
    ),
    `clients' process event-loop delay p50 ${ms(run.clientsLoop.p50)} / max ${ms(run.clientsLoop.max)} ms`,
    `${run.disconnects} sockets disconnected during the run${run.disconnects ? ` (${Object.entries(run.disconnectReasons).map(([k, v]) => `${v} ${k}`).join(', ')}; they do not reconnect here, so what they miss counts as lost)` : ''}, ${run.duplicates} duplicate deliveries`,
  ];
  detail.push(`- ${label[run.name]}: ${parts.join('; ')}.`);
}
const d = driverLoop.snapshot();
notes.push(`driver: CPU ${d.cpuPct.toFixed(0)} % of a core over the whole run, event-loop delay p99 ${ms(d.p99)} ms`);

const section = [
  `Measured ${date} on ${machine}; load average (1/5/15 min) ${loadAtStart} when it started; whole run ${(totalS / 60).toFixed(1)} min.`,
  `${SOCKETS} sockets (${setupNote}), ${RATE} inbound messages/s for ${SECONDS} s (${MESSAGES} messages, round robin over ${CONTACTS} existing contacts), ${WARMUP_S} s warm-up before each run.`,
  '',
  'Latency per (socket, message) in ms: from the moment the driver had the 202 (plain `ws`: the broadcast call) to the listener of the packet (plain `ws`: frame) carrying `message:created` running in the clients\' process. Event-loop delay: how late a 10 ms timer ran in the server process (plain `ws`: the ws server\'s), during the measured minute.',
  '',
  ...table,
  '',
  ...verdicts,
  '',
  'PASS needs the p99 under the target both from the 202 and from the request start, no failed request and no lost delivery: when the server falls behind, the 202 itself waits in its queue, so the figure from the 202 alone hides the backlog.',
  '',
  'The same deliveries measured from other moments, and the CPU they took (`at`: the envelope\'s time, stamped in the server\'s write transaction, whole milliseconds; "last socket": per message, when the last of the sockets had it, from the 202):',
  '',
  ...more,
  '',
  ...detail,
  ...notes.map((n) => `- ${n}`),
].join('\n');
console.log(`\n${section}\n`);

if (opt.write) {
  const readme = join(here, 'README.md');
  const begin = '<!-- bench:realtime:begin (generated by npm run bench:realtime -- --write) -->';
  const end = '<!-- bench:realtime:end -->';
  let text = readFileSync(readme, 'utf8');
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) text = `${text.slice(0, a + begin.length)}\n${section}\n${text.slice(b)}`;
  else text = `${text.trimEnd()}\n\n## Realtime\n\n${begin}\n${section}\n${end}\n`;
  writeFileSync(readme, text);
  log(`wrote ${readme}`);
}
process.exit(0);
