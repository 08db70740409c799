import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '@switchboard/shared';
import { signInOver, startServer, type RunningServer } from './support/process.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/postgres.ts';
import { dropRedisKeys, REDIS_URL, redisAvailable } from './support/redis.ts';
import { connected, recorder, socketFor, type ClientSocket } from './support/sockets.ts';

/**
 * The scale-out deployment: two server processes on one PostgreSQL database and one Redis, with
 * a shared DATA_DIR (uploads and job files, as a shared volume would be). Agents on both nodes
 * see inbound traffic sent to either; an import started on node A reports its progress to
 * agents on node B; node A is killed mid-import and node B takes the job over from its last
 * checkpoint once A's lease lapses, finishing with every row once.
 */
const haveRedis = await redisAvailable();
const havePostgres = await postgresAvailable();

const ROWS = 20_000;
const isBad = (i: number) => i % 50 === 7; // 2 % of rows: a phone no country has
const BAD = Array.from({ length: ROWS }, (_, i) => i).filter(isBad).length;

function csv(): string {
  const lines = ['First name,Last name,Phone,Tags'];
  for (let i = 0; i < ROWS; i++) lines.push(`Name${i},Node ${i},${isBad(i) ? `12${i}` : `+33 6 ${40_000_000 + i}`},t${i % 7}`);
  return lines.join('\n') + '\n';
}

describe.runIf(haveRedis && havePostgres)('two nodes on one PostgreSQL database and one Redis', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-pg-2nodes-'));
  const prefix = `sb-test-${randomUUID()}`;
  const servers: RunningServer[] = [];
  const sockets: ClientSocket[] = [];
  let database: TestDatabase | undefined;

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    for (const s of servers) await s.stop('SIGKILL').catch(() => undefined);
    await dropRedisKeys(prefix);
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function agent(base: string, email: string) {
    const { cookie, ws } = await signInOver(base, email);
    const socket = socketFor(base, cookie);
    sockets.push(socket);
    await connected(socket);
    return { cookie, ws, socket, seen: recorder(socket) };
  }

  it('serves agents on both, and node B finishes node A’s import after A is killed: every row once', async () => {
    database = await createTestDatabase();
    // A short lease, so B takes the job over within seconds; small batches, so the kill lands between checkpoints.
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, REDIS_URL, REDIS_PREFIX: prefix, JOB_LEASE_SECONDS: '2', IMPORT_BATCH_ROWS: '200' };
    const a = await startServer(env);
    servers.push(a);
    const lead = await agent(a.url, 'lead@demo.test');

    // The import starts on A before B exists, so A's worker runs it.
    const form = new FormData();
    form.append('file', new Blob([csv()], { type: 'text/csv' }), 'nodes.csv');
    const up = await fetch(`${a.url}/api/workspaces/${lead.ws}/imports`, { method: 'POST', body: form, headers: { cookie: lead.cookie } });
    expect(up.status).toBe(201);
    const jobId = ((await up.json()) as { jobId: string }).jobId;
    const start = await fetch(`${a.url}/api/workspaces/${lead.ws}/imports/${jobId}/start`, {
      method: 'POST',
      headers: { cookie: lead.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ mapping: { 'First name': 'firstName', 'Last name': 'lastName', Phone: 'phone', Tags: 'tags' }, channel: 'sms', defaultCountry: 'FR', onExisting: 'skip' }),
    });
    expect(start.status).toBe(202);

    const b = await startServer(env);
    servers.push(b);
    const onB = await agent(b.url, 'agent@demo.test');

    // Inbound traffic to both nodes reaches agents on both.
    const admin = await signInOver(a.url, 'admin@demo.test');
    const { key } = (await (
      await fetch(`${a.url}/api/workspaces/${admin.ws}/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: admin.cookie }, body: JSON.stringify({ name: 'two nodes' }) })
    ).json()) as { key: string };
    const sent: string[] = [];
    for (const [i, node] of [a, b, a, b].entries()) {
      const res = await fetch(`${node.url}/api/inbound/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ channel: 'telegram', channelUserId: `tg-nodes-${i}`, profile: { firstName: `Node${i}` }, message: { externalId: `m-nodes-${i}`, text: `to node ${node === a ? 'A' : 'B'}` } }),
      });
      expect(res.status).toBe(202);
      sent.push(((await res.json()) as { messageId: string }).messageId);
    }
    for (const seen of [lead.seen, onB.seen]) {
      for (const id of sent) await seen.waitFor((e) => e.name === 'message:created' && (e.envelope.data as { id: string }).id === id);
    }

    // A's progress reaches the agent on B; then A dies with the job half done.
    const progress = await onB.seen.waitFor(
      (e) => e.name === 'job:progress' && (e.envelope.data as Job).id === jobId && (e.envelope.data as Job).counts.read >= 2_000,
      60_000,
    );
    expect((progress.envelope.data as Job).status).toBe('running');
    expect(await a.stop('SIGKILL')).toBeNull();
    const atKill = await getJob(b.url, onB.cookie, onB.ws, jobId);
    expect(atKill.counts.read).toBeLessThan(ROWS);

    const done = await onB.seen.waitFor((e) => e.name === 'job:progress' && (e.envelope.data as Job).id === jobId && (e.envelope.data as Job).status !== 'running' && (e.envelope.data as Job).status !== 'queued', 120_000);
    const job = done.envelope.data as Job;
    expect(job).toMatchObject({ status: 'completed', total: ROWS, counts: { read: ROWS, created: ROWS - BAD, updated: 0, skipped: 0, rejected: BAD } });

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const one = async (text: string, values: unknown[]) => Number((await client.query(text, values)).rows[0].n);
      const phones = (await client.query('SELECT phone FROM contact WHERE importjobid = $1 ORDER BY phone', [Number(jobId)])).rows.map((r) => r.phone as string);
      const expected = Array.from({ length: ROWS }, (_, i) => i)
        .filter((i) => !isBad(i))
        .map((i) => `+336${40_000_000 + i}`)
        .sort();
      expect(phones).toEqual(expected);
      expect(await one('SELECT count(*) AS n FROM jobcontactchange WHERE jobid = $1', [Number(jobId)])).toBe(ROWS - BAD);
      expect(await one("SELECT count(*) AS n FROM auditevent WHERE action = 'contact.created' AND changes->>'importJobId' = $1", [jobId])).toBe(ROWS - BAD);
      const errorFile = (await client.query('SELECT errorfile FROM job WHERE id = $1', [Number(jobId)])).rows[0].errorfile as string;
      const errorLines = readFileSync(errorFile, 'utf8').trim().split('\n');
      expect(errorLines).toHaveLength(BAD + 1);
      expect(new Set(errorLines).size).toBe(BAD + 1);
    } finally {
      await client.end();
    }
  }, 240_000);
});

const getJob = async (url: string, cookie: string, ws: string, id: string) => (await (await fetch(`${url}/api/workspaces/${ws}/jobs/${id}`, { headers: { cookie } })).json()) as Job;
