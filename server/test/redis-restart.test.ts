import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Envelope } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices, signInOver, startServer, type RunningServer } from './support/process.ts';
import { serverDatabase, type ServerDatabase } from './support/server-database.ts';
import { connected, recorder, socketFor, type ClientSocket } from './support/sockets.ts';

/**
 * Fault test (issue "Hardening", Faults): the Redis both nodes share dies (SIGKILL) during
 * inbound traffic and comes back on the same port. Uses its OWN redis-server on a free port,
 * never the machine's shared Redis.
 */
const REDIS_BIN = process.env.REDIS_SERVER_BIN || 'redis-server';
const haveRedisServer = spawnSync(REDIS_BIN, ['--version'], { stdio: 'ignore' }).status === 0;
if (requireServices && !haveRedisServer) throw new Error(`REQUIRE_SERVICES=1 but ${REDIS_BIN} is not installed`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns redis-server in the foreground and waits until it answers PING. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const r = new Redis(port, '127.0.0.1', { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      if ((await r.ping()) === 'PONG') return child;
    } catch {
      /* not up yet */
    } finally {
      r.disconnect();
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on ${port} did not come up`);
}

function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

type Posted = { externalId: string; status: number | string; phase: 'before' | 'outage' | 'after'; at: number };
type Rec = ReturnType<typeof recorder>;

const messagesOf = (events: Rec['events']) =>
  events
    .filter((e) => e.name === 'message:created')
    .map((e) => ({ eventId: e.envelope.eventId, externalId: (e.envelope.data as { externalId: string | null }).externalId }));

describe.skipIf(!haveRedisServer)('Redis restart during traffic on two nodes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-redis-restart-'));
  const prefix = `sb-test-${randomUUID()}`;
  let port: number;
  let redis: ChildProcess | undefined;
  let a: RunningServer;
  let b: RunningServer;
  // Both nodes on one database.
  let database: ServerDatabase | undefined;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    database = await serverDatabase(dataDir);
    const env = { ...database.env, DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PREFIX: prefix };
    a = await startServer(env);
    b = await startServer(env);
  }, 120_000);

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all([a?.stop(), b?.stop()]);
    if (redis) await killHard(redis);
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });


  async function openSocket(base: string, cookie: string) {
    const socket = socketFor(base, cookie);
    sockets.push(socket);
    const rec = recorder(socket);
    await connected(socket);
    return { socket, rec };
  }

  /** Sends sync:hello and returns the events received up to this workspace's sync:ready. */
  async function hello(socket: ClientSocket, rec: Rec, ws: string, since: number) {
    const from = rec.events.length;
    const ack = await socket.emitWithAck('sync:hello', { since: { [ws]: since } });
    expect(ack.ok).toBe(true);
    await rec.waitFor((e) => e.name === 'sync:ready' && rec.events.indexOf(e) >= from && (e.envelope as unknown as { workspaceId: string }).workspaceId === ws);
    const ready = rec.events.findIndex((e, i) => i >= from && e.name === 'sync:ready');
    return rec.events.slice(from, ready);
  }

  it('keeps both nodes up, resumes cross-node delivery within 5 s, and replay fills the gap', async () => {
    const admin = await signInOver(a.url, 'admin@demo.test');
    const key = (await (
      await fetch(`${a.url}/api/workspaces/${admin.ws}/api-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: admin.cookie },
        body: JSON.stringify({ name: 'redis-restart test' }),
      })
    ).json()) as { key: string };
    const agent = await signInOver(b.url, 'agent@demo.test');
    const ws = agent.ws;
    const onB = await openSocket(b.url, agent.cookie);

    const posted: Posted[] = [];
    let n = 0;
    let phase: Posted['phase'] = 'before';
    async function post(prefixId = 'rr'): Promise<Posted> {
      const externalId = `${prefixId}-${++n}`;
      const p: Posted = { externalId, status: 'pending', phase, at: Date.now() };
      posted.push(p);
      try {
        const res = await fetch(`${a.url}/api/inbound/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
          body: JSON.stringify({
            channel: 'telegram',
            channelUserId: 'tg-redis-restart',
            profile: { firstName: 'Redis', lastName: 'Restart' },
            message: { externalId, text: `message ${externalId}` },
          }),
          signal: AbortSignal.timeout(4000),
        });
        p.status = res.status;
        await res.arrayBuffer();
      } catch (err) {
        p.status = `error: ${(err as Error).name}`;
      }
      return p;
    }

    // Traffic at ~10/s, sequential, so post order = commit order = eventId order.
    let traffic = true;
    const loop = (async () => {
      while (traffic) {
        const started = Date.now();
        await post();
        await sleep(Math.max(0, 100 - (Date.now() - started)));
      }
    })();

    // 1. Live delivery A → B works.
    await sleep(1000);
    const firstBatch = posted.filter((p) => p.phase === 'before').slice(0, 5).map((p) => p.externalId);
    for (const id of firstBatch) await onB.rec.waitFor((e) => e.name === 'message:created' && (e.envelope.data as { externalId: string }).externalId === id);

    // 2. Kill Redis while traffic continues; the last eventId B saw before the outage.
    const seenBefore = messagesOf(onB.rec.events);
    const lastSeen = Math.max(
      0,
      ...onB.rec.events.filter((e) => e.envelope?.workspaceId === ws && typeof e.envelope.eventId === 'number').map((e) => (e.envelope as Envelope<unknown>).eventId),
    );
    const seenBeforeIds = new Set(seenBefore.map((m) => m.externalId));
    phase = 'outage';
    await killHard(redis!);
    await sleep(2000);
    redis = await startRedis(port);
    const redisBack = Date.now();
    phase = 'after';
    traffic = false;
    await loop;

    // 3a. Within 5 s of Redis being back, a new message posted to A reaches B live.
    let resumeMs = -1;
    while (Date.now() - redisBack < 5000 && resumeMs < 0) {
      const probe = await post('probe');
      if (probe.status === 202) {
        const deadline = Date.now() + 300;
        while (Date.now() < deadline) {
          if (messagesOf(onB.rec.events).some((m) => m.externalId === probe.externalId)) {
            resumeMs = Date.now() - redisBack;
            break;
          }
          await sleep(10);
        }
      } else await sleep(200);
    }
    console.log(`[redis-restart] live delivery A→B resumed ${resumeMs} ms after Redis came back`);

    const outage = posted.filter((p) => p.phase === 'outage');
    const report = {
      posted: posted.length,
      outage: outage.length,
      outageStatuses: [...new Set(outage.map((p) => p.status))],
      nonAccepted: posted.filter((p) => p.status !== 202).map((p) => `${p.externalId}:${p.status}`),
    };
    console.log('[redis-restart]', JSON.stringify(report));

    // Requests kept succeeding throughout (no 5xx, no hang).
    expect(report.nonAccepted).toEqual([]);
    expect(outage.length).toBeGreaterThanOrEqual(10);
    expect(resumeMs).toBeGreaterThanOrEqual(0);
    expect(resumeMs).toBeLessThan(5000);

    // Neither node exited: same processes still answer on their URLs.
    for (const node of [a, b]) {
      const res = await fetch(`${node.url}/api/health`);
      expect(res.status).toBe(200);
    }

    // 3b. Replay fills the gap: every accepted message B had not seen before the outage,
    // in posting order, exactly once.
    const accepted = posted.filter((p) => p.status === 202).map((p) => p.externalId);
    const expected = accepted.filter((id) => !seenBeforeIds.has(id));
    const ours = (ids: (string | null)[]) => ids.filter((id): id is string => !!id && /^(rr|probe)-\d+$/.test(id));

    // A fresh client on B catching up from the last eventId seen before the outage.
    const fresh = await openSocket(b.url, agent.cookie);
    const replayed = ours(messagesOf(await hello(fresh.socket, fresh.rec, ws, lastSeen)).map((m) => m.externalId));
    expect(replayed).toEqual(expected);
    for (const id of outage.map((p) => p.externalId)) expect(replayed.filter((r) => r === id)).toHaveLength(1);

    // The socket that lived through the outage: live + replay, deduplicated by eventId as the
    // client does, holds every accepted message exactly once and in order.
    const liveOutage = outage.filter((p) => messagesOf(onB.rec.events).some((m) => m.externalId === p.externalId)).length;
    console.log(`[redis-restart] ${liveOutage}/${outage.length} outage messages reached B live; fresh client replayed ${replayed.length}`);
    await hello(onB.socket, onB.rec, ws, lastSeen);
    const applied = new Map<number, string | null>();
    for (const m of messagesOf(onB.rec.events)) if (!applied.has(m.eventId)) applied.set(m.eventId, m.externalId);
    const union = ours([...applied.entries()].sort(([x], [y]) => x - y).map(([, id]) => id));
    expect(union).toEqual(accepted);

    expect(a.output()).not.toMatch(/uncaught|unhandled/i);
    expect(b.output()).not.toMatch(/uncaught|unhandled/i);
  }, 60_000);
});
