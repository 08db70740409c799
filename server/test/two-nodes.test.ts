import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOver, startServer, type RunningServer } from './support/process.ts';
import { serverDatabase, type ServerDatabase } from './support/server-database.ts';
import { dropRedisKeys, REDIS_URL, redisAvailable } from './support/redis.ts';
import { connected, recorder, socketFor, type ClientSocket } from './support/sockets.ts';

const haveRedis = await redisAvailable();

describe.skipIf(!haveRedis)('two nodes over Redis', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-2nodes-'));
  const prefix = `sb-test-${randomUUID()}`;
  let a: RunningServer;
  let b: RunningServer;
  // Both nodes on one database.
  let database: ServerDatabase | undefined;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    database = await serverDatabase(dataDir);
    const env = { ...database.env, DATA_DIR: dataDir, REDIS_URL, REDIS_PREFIX: prefix };
    a = await startServer(env);
    b = await startServer(env);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all([a?.stop(), b?.stop()]);
    await dropRedisKeys(prefix);
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function session(base: string, email: string) {
    const { cookie, ws } = await signInOver(base, email);
    const socket = socketFor(base, cookie);
    sockets.push(socket);
    await connected(socket);
    return { cookie, socket, ws };
  }

  it('delivers a change made on node A to an agent connected to node B', async () => {
    const agentOnB = await session(b.url, 'agent@demo.test');
    const supervisorOnA = await session(a.url, 'supervisor@demo.test');
    const seen = recorder(agentOnB.socket);
    const list = (await (await fetch(`${a.url}/api/workspaces/${supervisorOnA.ws}/contacts?limit=1`, { headers: { cookie: supervisorOnA.cookie } })).json()) as {
      items: { id: string }[];
    };
    const contactId = list.items[0]!.id;
    const res = await fetch(`${a.url}/api/workspaces/${supervisorOnA.ws}/contacts/${contactId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie: supervisorOnA.cookie },
      body: JSON.stringify({ ops: [{ op: 'addTag', tag: 'cross-node' }] }),
    });
    expect(res.status).toBe(200);
    const event = await seen.waitFor((e) => e.name === 'contact:updated' && (e.envelope.data as { contact: { id: string } }).contact.id === contactId);
    expect((event.envelope.data as { contact: { tags: string[] } }).contact.tags).toContain('cross-node');
  });

  it('delivers an inbound message posted to node A to an agent connected to node B', async () => {
    const agentOnB = await session(b.url, 'agent@demo.test');
    const admin = await session(a.url, 'admin@demo.test');
    const key = (await (
      await fetch(`${a.url}/api/workspaces/${admin.ws}/api-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: admin.cookie },
        body: JSON.stringify({ name: 'two-node test' }),
      })
    ).json()) as { key: string };
    const seen = recorder(agentOnB.socket);
    const res = await fetch(`${a.url}/api/inbound/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
      body: JSON.stringify({
        channel: 'telegram',
        channelUserId: 'tg-cross-node-1',
        profile: { firstName: 'Cross', lastName: 'Node' },
        message: { externalId: 'm-cross-1', text: 'Hello from node A' },
      }),
    });
    expect(res.status).toBe(202);
    const { messageId } = (await res.json()) as { messageId: string };
    const event = await seen.waitFor((e) => e.name === 'message:created' && (e.envelope.data as { id: string }).id === messageId);
    expect((event.envelope.data as { body: string }).body).toBe('Hello from node A');
    await seen.waitFor((e) => e.name === 'conversation:upserted');
  });

  it('shows the union of viewers across nodes', async () => {
    const onA = await session(a.url, 'lead@demo.test');
    const onB = await session(b.url, 'admin@demo.test');
    const list = (await (await fetch(`${a.url}/api/workspaces/${onA.ws}/contacts?limit=1`, { headers: { cookie: onA.cookie } })).json()) as { items: { id: string }[] };
    const contactId = list.items[0]!.id;
    const seenOnA = recorder(onA.socket);
    await onA.socket.emitWithAck('presence:view', { workspaceId: onA.ws, contactId });
    const ack = await onB.socket.emitWithAck('presence:view', { workspaceId: onB.ws, contactId });
    expect(ack.ok && ack.data.viewers.map((v) => v.name).sort()).toHaveLength(2);
    const update = await seenOnA.waitFor((e) => e.name === 'presence:updated' && (e.envelope as unknown as { viewers: unknown[] }).viewers.length === 2);
    expect(update).toBeTruthy();
    // Leaving on node B is seen on node A.
    await onB.socket.emitWithAck('presence:view', { workspaceId: onB.ws, contactId: null });
    await seenOnA.waitFor((e) => e.name === 'presence:updated' && (e.envelope as unknown as { viewers: unknown[] }).viewers.length === 1);
  });
});
