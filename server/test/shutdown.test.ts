import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOver, startServer, type RunningServer } from './support/process.ts';
import { serverDatabase, type ServerDatabase } from './support/server-database.ts';
import { connected, socketFor, type ClientSocket } from './support/sockets.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sb-shutdown-'));
const servers: RunningServer[] = [];
const sockets: ClientSocket[] = [];
let database: ServerDatabase;
beforeAll(async () => {
  database = await serverDatabase(dataDir);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGTERM under load', () => {
  it('finishes in-flight requests, loses no accepted inbound message, tells sockets to come back, and restarts with everything', async () => {
    const server = await startServer({ DATA_DIR: dataDir, INBOUND_RATE_LIMIT: '1000000', ...database.env });
    servers.push(server);
    const admin = await signInOver(server.url, 'admin@demo.test');
    const key = (await (
      await fetch(`${server.url}/api/workspaces/${admin.ws}/api-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: admin.cookie },
        body: JSON.stringify({ name: 'shutdown test' }),
      })
    ).json()) as { key: string };
    const agent = await signInOver(server.url, 'agent@demo.test');
    const socket = socketFor(server.url, agent.cookie);
    sockets.push(socket);
    await connected(socket);
    const ended = new Promise<{ reason: string }>((r) => socket.once('session:ended', r));

    // Eight senders post back to back until the server stops answering.
    const accepted: string[] = [];
    const refused: string[] = [];
    let seq = 0;
    const sender = async (lane: number) => {
      for (;;) {
        const externalId = `sigterm-${lane}-${seq++}`;
        try {
          const res = await fetch(`${server.url}/api/inbound/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
            body: JSON.stringify({ channel: 'telegram', channelUserId: `tg-sigterm-${lane}`, profile: { firstName: `Lane ${lane}` }, message: { externalId, text: `message ${externalId}` } }),
          });
          if (res.status === 202) accepted.push(externalId);
          else refused.push(`${res.status}`);
        } catch {
          // Connection refused or closed: the server is gone; the message was not accepted.
          return;
        }
      }
    };
    const lanes = Array.from({ length: 8 }, (_, i) => sender(i));
    while (accepted.length < 200) await new Promise((r) => setTimeout(r, 20));
    const code = await server.stop('SIGTERM');
    await Promise.all(lanes);

    expect(code, server.output()).toBe(0);
    expect((await ended).reason).toBe('shutdown');
    // Refusals while closing are 503s at most, never a 500.
    expect(refused.filter((s) => s !== '503')).toEqual([]);

    // Every message the server said 202 to is in the database, once.
    const stored = await database.column<string>("SELECT externalId FROM Message WHERE externalId LIKE 'sigterm-%'");
    const storedSet = new Set(stored);
    expect(accepted.filter((id) => !storedSet.has(id))).toEqual([]);
    expect(stored.length).toBe(storedSet.size);

    // And a restart serves them.
    const again = await startServer({ DATA_DIR: dataDir, ...database.env });
    servers.push(again);
    const back = await signInOver(again.url, 'agent@demo.test');
    const list = (await (await fetch(`${again.url}/api/workspaces/${back.ws}/conversations?limit=50`, { headers: { cookie: back.cookie } })).json()) as {
      items: { contact: { name: string } }[];
    };
    expect(list.items.some((c) => c.contact.name.startsWith('Lane '))).toBe(true);
    expect(await again.stop('SIGTERM')).toBe(0);
  }, 180_000);

  it('closes a keep-alive connection whose request was in flight at SIGTERM, instead of waiting past its grace for the client', async () => {
    const server = await startServer({ DATA_DIR: dataDir, ...database.env });
    servers.push(server);
    const { hostname, port } = new URL(server.url);
    // A client that keeps its connections open; its request is half sent when the signal comes.
    const agent = new http.Agent({ keepAlive: true });
    const body = JSON.stringify({ email: 'agent@demo.test', password: 'switchboard' });
    const req = http.request({ host: hostname, port, path: '/api/auth/login', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } });
    const response = new Promise<http.IncomingMessage>((r) => req.once('response', r));
    req.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 300));
    const exited = server.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    req.end(body.slice(10));
    const res = await response;
    res.resume();
    try {
      // The request is served, and told the connection ends with it.
      expect(res.statusCode).toBe(200);
      expect(res.headers.connection).toBe('close');
      // Without that the idle connection kept close() waiting and the 10 s grace ended in exit code 1.
      expect(await exited, server.output()).toBe(0);
    } finally {
      agent.destroy();
    }
  }, 60_000);
});
