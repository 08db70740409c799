import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Message, OutboundWebhookPayload } from '@switchboard/shared';
import { login, setupApp, type TestApp } from './helper.ts';
import { newContact, newConversation, newTeam } from './factories.ts';
import { connected, recorder, socketFor, type ClientSocket } from './support/sockets.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDb, type Db } from '../src/db/client.ts';
import { sendAgentMessage } from '../src/features/conversations/send.ts';
import { defaultSchedule, retryDelay } from '../src/features/outbound/schedule.ts';
import { NO_WEBHOOK, OutboundWorker, type OutboundWorkerOptions } from '../src/features/outbound/worker.ts';

/** A webhook receiver on 127.0.0.1 that answers with the statuses it is told, in order. */
class Receiver {
  readonly requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  answers: number[] = [];
  /** Answer nothing at all (timeouts). */
  hang = false;
  private server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body });
        if (this.hang) return;
        res.statusCode = this.answers.shift() ?? 200;
        res.end('ok');
      });
    });
  }

  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/switchboard`;
    return this;
  }

  reset() {
    this.requests.length = 0;
    this.answers = [];
    this.hang = false;
  }

  close() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }
}

let t: TestApp;
let url: string;
let receiver: Receiver;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  t = await setupApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  receiver = await new Receiver().start();
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await t.close();
  await receiver.close();
});
afterEach(async () => {
  receiver.reset();
  // Tests share the database: what one leaves due must not be claimed by the next one's worker.
  await t.db.tx((tx) => tx.outboundDelivery.updateMany({ where: { status: { in: ['pending', 'sending'] } }, data: { status: 'failed' } }));
});

const settings = (ws: number, cookie: string, method: 'GET' | 'PUT' = 'GET', payload?: object) =>
  t.app.inject({ method, url: `/api/workspaces/${ws}/settings/webhook`, headers: { cookie }, payload });

/** A workspace whose admin configured the receiver; a messenger conversation; an agent watching. */
async function scene(opts: { webhook?: boolean } = {}) {
  const { workspace, members } = await newTeam(t.db);
  const admin = await login(t.app, members.admin.email);
  let secret: string | null = null;
  if (opts.webhook !== false) {
    const res = await settings(workspace.id, admin, 'PUT', { url: receiver.url });
    expect(res.statusCode, res.body).toBe(200);
    secret = res.json().secret;
  }
  const contact = await newContact(t.db, { workspaceId: workspace.id, channel: 'messenger' });
  const conversation = await newConversation(t.db, { workspaceId: workspace.id, contactId: contact.id });
  const agent = socketFor(url, await login(t.app, members.agent.email));
  sockets.push(agent);
  await connected(agent);
  const seen = recorder(agent);
  let n = 0;
  const reply = (body = 'Your order ships today') =>
    sendAgentMessage({ db: t.db, gateway: t.app.gateway }, workspace.id, members.agent.id, {
      conversationId: conversation.id,
      body,
      idempotencyKey: `reply-${conversation.id}-${++n}-xxxx`,
    });
  return { workspace, members, contact, conversation, secret, seen, reply };
}

const delivery = (messageId: string) => t.db.prisma.outboundDelivery.findFirstOrThrow({ where: { messageId: Number(messageId) } });
const statusOf = async (messageId: string) => (await t.db.prisma.message.findUniqueOrThrow({ where: { id: Number(messageId) } })).deliveryStatus;

/** A worker on the test app's database with a clock the test moves by hand. */
function manualWorker(options: OutboundWorkerOptions = {}) {
  const clock = { now: Date.now() + 1000 };
  const worker = new OutboundWorker({ db: t.db, gateway: t.app.gateway }, { now: () => clock.now, ...options });
  return { worker, clock };
}

const statusPushes = (seen: ReturnType<typeof recorder>, messageId: string) =>
  seen.events.filter((e) => e.name === 'message:created' && (e.envelope.data as Message).id === messageId).map((e) => (e.envelope.data as Message).deliveryStatus);

describe('webhook settings', () => {
  it('is for admins of the workspace only', async () => {
    const { workspace, members } = await newTeam(t.db);
    const other = await newTeam(t.db);
    expect((await t.app.inject({ url: `/api/workspaces/${workspace.id}/settings/webhook` })).statusCode).toBe(401);
    for (const role of ['agent', 'supervisor', 'lead'] as const) {
      const cookie = await login(t.app, members[role].email);
      expect((await settings(workspace.id, cookie)).statusCode, role).toBe(403);
      expect((await settings(workspace.id, cookie, 'PUT', { url: receiver.url })).statusCode, role).toBe(403);
    }
    const stranger = await login(t.app, other.members.admin.email);
    expect((await settings(workspace.id, stranger, 'PUT', { url: receiver.url })).statusCode).toBe(404);
  });

  it('names the url when it is not an http(s) URL', async () => {
    const { workspace, members } = await newTeam(t.db);
    const admin = await login(t.app, members.admin.email);
    for (const bad of ['ftp://example.com/hook', 'not a url', 'javascript:alert(1)', '', 42]) {
      const res = await settings(workspace.id, admin, 'PUT', { url: bad });
      expect(res.statusCode, String(bad)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation', details: [{ path: 'url' }] });
    }
    expect((await settings(workspace.id, admin, 'PUT', {})).json().details).toEqual([{ path: 'url', message: expect.any(String) }]);
  });

  it('stores the url and shows a generated secret once', async () => {
    const { workspace, members } = await newTeam(t.db);
    const admin = await login(t.app, members.admin.email);
    expect((await settings(workspace.id, admin)).json()).toEqual({ url: null, hasSecret: false });

    const first = await settings(workspace.id, admin, 'PUT', { url: 'https://hooks.example.com/sb' });
    expect(first.json()).toEqual({ url: 'https://hooks.example.com/sb', hasSecret: true, secret: expect.stringMatching(/^whsec_.{40,}/) });
    expect((await settings(workspace.id, admin)).json()).toEqual({ url: 'https://hooks.example.com/sb', hasSecret: true });

    // Changing the URL keeps the secret (and does not show it again); rotating makes a new one.
    const second = await settings(workspace.id, admin, 'PUT', { url: 'http://10.0.0.5:8080/in' });
    expect(second.json()).toEqual({ url: 'http://10.0.0.5:8080/in', hasSecret: true });
    const rotated = await settings(workspace.id, admin, 'PUT', { url: 'http://10.0.0.5:8080/in', rotateSecret: true });
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(first.json().secret);

    const off = await settings(workspace.id, admin, 'PUT', { url: null });
    expect(off.json()).toEqual({ url: null, hasSecret: true });
    const audit = await t.db.prisma.auditEvent.findMany({ where: { workspaceId: workspace.id, action: 'webhook.updated' } });
    expect(audit).toHaveLength(4);
    expect(JSON.stringify(audit)).not.toContain(first.json().secret);
  });
});

describe('delivery', () => {
  it('POSTs the reply signed with the workspace secret, then marks it sent and tells the agents', async () => {
    const s = await scene();
    const message = await s.reply('Your order ships today');
    expect(message.deliveryStatus).toBe('pending');
    const { worker } = manualWorker();
    expect(await worker.tick()).toBe(1);

    expect(receiver.requests).toHaveLength(1);
    const { headers, body } = receiver.requests[0]!;
    const expected = `sha256=${createHmac('sha256', s.secret!).update(body).digest('hex')}`;
    expect(timingSafeEqual(Buffer.from(String(headers['x-switchboard-signature'])), Buffer.from(expected))).toBe(true);
    const d = await delivery(message.id);
    expect(headers['x-switchboard-delivery']).toBe(String(d.id));
    expect(headers['content-type']).toBe('application/json');
    expect(JSON.parse(body)).toEqual({
      event: 'message.created',
      workspaceId: String(s.workspace.id),
      conversationId: String(s.conversation.id),
      contact: { id: String(s.contact.id), channel: 'messenger', channelUserId: s.contact.channelUserId },
      message: { id: message.id, body: 'Your order ships today', createdAt: message.createdAt, agent: { id: String(s.members.agent.id), name: expect.any(String) } },
    } satisfies OutboundWebhookPayload);
    // A wrong secret does not verify.
    expect(createHmac('sha256', 'whsec_wrong').update(body).digest('hex')).not.toBe(expected.slice(7));

    expect(d).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(await statusOf(message.id)).toBe('sent');
    await s.seen.waitFor((e) => e.name === 'message:created' && (e.envelope.data as Message).deliveryStatus === 'sent');
    expect(statusPushes(s.seen, message.id)).toEqual(['pending', 'sent']);

    // Nothing left to do.
    expect(await worker.tick()).toBe(0);
    expect(receiver.requests).toHaveLength(1);
  });

  it('retries a failure after the backoff, then succeeds', async () => {
    const s = await scene();
    const message = await s.reply();
    const { worker, clock } = manualWorker();
    receiver.answers = [500];
    const start = clock.now;

    expect(await worker.tick()).toBe(1);
    let d = await delivery(message.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect(d.nextAttemptAt.getTime()).toBe(start + 10_000);
    expect(await statusOf(message.id)).toBe('pending');

    clock.now = start + 9_999;
    expect(await worker.tick()).toBe(0);
    clock.now = start + 10_000;
    expect(await worker.tick()).toBe(1);
    d = await delivery(message.id);
    expect(d).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(receiver.requests.map((r) => r.headers['x-switchboard-delivery'])).toEqual([String(d.id), String(d.id)]);
    expect(await statusOf(message.id)).toBe('sent');
    await s.seen.waitFor((e) => e.name === 'message:created' && (e.envelope.data as Message).deliveryStatus === 'sent');
    // A retry that changes nothing on the message pushes nothing.
    expect(statusPushes(s.seen, message.id)).toEqual(['pending', 'sent']);
  });

  it('gives up after the last attempt: failed, with the last error, pushed to the agents', async () => {
    const s = await scene();
    const message = await s.reply();
    const { worker, clock } = manualWorker({ schedule: { backoffMs: [1_000, 5_000], maxAttempts: 4 } });
    receiver.answers = [503, 503, 503, 502];
    const start = clock.now;
    const due: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await worker.tick(), `attempt ${attempt}`).toBe(1);
      const d = await delivery(message.id);
      if (attempt < 4) {
        expect(d).toMatchObject({ status: 'pending', attempts: attempt });
        due.push(d.nextAttemptAt.getTime() - start);
        clock.now = d.nextAttemptAt.getTime();
      } else {
        expect(d).toMatchObject({ status: 'failed', attempts: 4, lastError: 'HTTP 502' });
      }
    }
    // The last step of the schedule repeats.
    expect(due).toEqual([1_000, 6_000, 11_000]);
    expect(await statusOf(message.id)).toBe('failed');
    await s.seen.waitFor((e) => e.name === 'message:created' && (e.envelope.data as Message).deliveryStatus === 'failed');
    expect(statusPushes(s.seen, message.id)).toEqual(['pending', 'failed']);
    clock.now += 3_600_000;
    expect(await worker.tick()).toBe(0);
    expect(receiver.requests).toHaveLength(4);
  });

  it('has a default schedule of 10 s, 30 s, 2 min, 10 min, then hourly, 8 attempts', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelay(defaultSchedule, n))).toEqual([10_000, 30_000, 120_000, 600_000, 3_600_000, 3_600_000, 3_600_000, null]);
  });

  it('fails at once when no webhook is configured', async () => {
    const s = await scene({ webhook: false });
    const message = await s.reply();
    const { worker } = manualWorker();
    expect(await worker.tick()).toBe(1);
    expect(await delivery(message.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: NO_WEBHOOK });
    expect(await statusOf(message.id)).toBe('failed');
    expect(receiver.requests).toHaveLength(0);
    await s.seen.waitFor((e) => e.name === 'message:created' && (e.envelope.data as Message).deliveryStatus === 'failed');
  });

  it('counts a receiver that does not answer in time as a failed attempt', async () => {
    const s = await scene();
    const message = await s.reply();
    const { worker } = manualWorker({ timeoutMs: 200 });
    receiver.hang = true;
    expect(await worker.tick()).toBe(1);
    expect(await delivery(message.id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'timeout after 200 ms' });
  });

  it('never lets two workers send the same delivery', async () => {
    const s = await scene();
    const messages = [await s.reply('one'), await s.reply('two'), await s.reply('three')];
    const a = manualWorker();
    const b = manualWorker();
    const [ca, cb] = await Promise.all([a.worker.tick(), b.worker.tick()]);
    expect(ca + cb).toBe(3);
    expect(receiver.requests.map((r) => JSON.parse(r.body).message.body).sort()).toEqual(['one', 'three', 'two']);
    for (const m of messages) expect(await statusOf(m.id)).toBe('sent');
  });

  it('takes back a delivery left sending by a node that died', async () => {
    const s = await scene();
    const message = await s.reply();
    const d = await delivery(message.id);
    const { worker, clock } = manualWorker({ staleMs: 60_000 });
    await t.db.tx((tx) => tx.outboundDelivery.update({ where: { id: d.id }, data: { status: 'sending', attempts: 1, updatedAt: new Date(clock.now) } }));
    expect(await worker.tick()).toBe(0);
    clock.now += 60_000;
    expect(await worker.tick()).toBe(1);
    expect(await delivery(message.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('the worker in the app', () => {
  let app: FastifyInstance;
  let db: Db;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sb-outbound-'));
    const config = loadConfig({ DATA_DIR: dataDir, SEED_DEMO: '0', LOG_LEVEL: 'silent' });
    db = await openDb(config.databaseUrl);
    app = await buildApp({ config, db, logger: false, webRoot: join(dataDir, 'none'), outbound: { pollMs: 20, schedule: { backoffMs: [50], maxAttempts: 3 } } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs from buildApp: a failure is retried on schedule and delivered without anyone asking', async () => {
    const { workspace, members } = await newTeam(db);
    await db.tx((tx) => tx.workspace.update({ where: { id: workspace.id }, data: { outboundWebhookUrl: receiver.url, webhookSecret: 'whsec_test' } }));
    const contact = await newContact(db, { workspaceId: workspace.id, channel: 'whatsapp' });
    const conversation = await newConversation(db, { workspaceId: workspace.id, contactId: contact.id });
    receiver.answers = [500];
    const message = await sendAgentMessage({ db, gateway: app.gateway }, workspace.id, members.agent.id, {
      conversationId: conversation.id,
      body: 'On its way',
      idempotencyKey: 'loop-reply-0001',
    });
    const deadline = Date.now() + 5000;
    while ((await db.prisma.message.findUniqueOrThrow({ where: { id: Number(message.id) } })).deliveryStatus !== 'sent') {
      if (Date.now() > deadline) throw new Error('not delivered within 5 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(receiver.requests).toHaveLength(2);
    expect(await db.prisma.outboundDelivery.findFirstOrThrow({ where: { messageId: Number(message.id) } })).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
