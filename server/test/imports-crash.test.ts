import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '@switchboard/shared';
import { startServer, type RunningServer } from './support/process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sb-import-crash-'));
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

// A short lease, so the restarted server takes the dead one's job over within seconds; small
// batches, so the kill lands between many checkpoints.
const env = { DATA_DIR: dataDir, JOB_LEASE_SECONDS: '2', IMPORT_BATCH_ROWS: '200' };
const ROWS = 30_000;
const isBad = (i: number) => i % 50 === 7; // 2% of rows: a phone no country has

function csv(): string {
  const lines = ['First name,Last name,Phone,Tags'];
  for (let i = 0; i < ROWS; i++) lines.push(`Name${i},Ünïcode ${i},${isBad(i) ? `12${i}` : `+33 6 ${20_000_000 + i}`},t${i % 7}`);
  return lines.join('\n') + '\n';
}

async function signIn(url: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'lead@demo.test', password: 'switchboard' }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sb_session='))!.split(';')[0]!;
  const ws = ((await (await fetch(`${url}/api/workspaces`, { headers: { cookie } })).json()) as { id: string }[])[0]!.id;
  return { cookie, ws };
}

const getJob = async (url: string, cookie: string, ws: string, id: string) => (await (await fetch(`${url}/api/workspaces/${ws}/jobs/${id}`, { headers: { cookie } })).json()) as Job;

describe('an import survives kill -9 of the server', () => {
  it('continues from its checkpoint after a restart: zero duplicates, zero missing rows', async () => {
    const first = await startServer(env);
    servers.push(first);
    const { cookie, ws } = await signIn(first.url);
    const form = new FormData();
    form.append('file', new Blob([csv()], { type: 'text/csv' }), 'big.csv');
    const up = await fetch(`${first.url}/api/workspaces/${ws}/imports`, { method: 'POST', body: form, headers: { cookie } });
    expect(up.status).toBe(201);
    const jobId = ((await up.json()) as { jobId: string }).jobId;
    const start = await fetch(`${first.url}/api/workspaces/${ws}/imports/${jobId}/start`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ mapping: { 'First name': 'firstName', 'Last name': 'lastName', Phone: 'phone', Tags: 'tags' }, channel: 'sms', defaultCountry: 'FR', onExisting: 'skip' }),
    });
    expect(start.status).toBe(202);

    // Kill it once a few batches are in, far from the end.
    let before: Job;
    for (;;) {
      before = await getJob(first.url, cookie, ws, jobId);
      if (before.counts.read >= 1000 || before.status !== 'running' && before.status !== 'queued') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await first.stop('SIGKILL')).toBeNull();
    expect(before.status).toBe('running');
    expect(before.counts.read).toBeLessThan(ROWS);

    const second = await startServer(env);
    servers.push(second);
    const again = await signIn(second.url);
    let job: Job;
    for (;;) {
      job = await getJob(second.url, again.cookie, ws, jobId);
      if (!['queued', 'running'].includes(job.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await second.stop('SIGTERM')).toBe(0);

    const bad = Array.from({ length: ROWS }, (_, i) => i).filter(isBad).length;
    expect(job).toMatchObject({ status: 'completed', total: ROWS, counts: { read: ROWS, created: ROWS - bad, updated: 0, skipped: 0, rejected: bad } });
    const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
    try {
      const phones = db.prepare('SELECT phone FROM Contact WHERE importJobId = ? ORDER BY phone').pluck().all(Number(jobId)) as string[];
      const expected = Array.from({ length: ROWS }, (_, i) => i)
        .filter((i) => !isBad(i))
        .map((i) => `+336${20_000_000 + i}`)
        .sort();
      expect(phones).toEqual(expected);
      expect(db.prepare('SELECT count(*) FROM JobContactChange WHERE jobId = ?').pluck().get(Number(jobId))).toBe(ROWS - bad);
      expect(db.prepare("SELECT count(*) FROM AuditEvent WHERE action = 'contact.created' AND json_extract(changes, '$.importJobId') = ?").pluck().get(jobId)).toBe(ROWS - bad);
      // The search index followed every committed row, none twice.
      expect(db.prepare(`SELECT count(*) FROM ContactSearch WHERE ContactSearch MATCH '"unicode"'`).pluck().get()).toBe(ROWS - bad);
      const errorFile = db.prepare('SELECT errorFile FROM Job WHERE id = ?').pluck().get(Number(jobId)) as string;
      const errorLines = readFileSync(errorFile, 'utf8').trim().split('\n');
      expect(errorLines).toHaveLength(bad + 1);
      expect(new Set(errorLines).size).toBe(bad + 1);
    } finally {
      db.close();
    }
  }, 240_000);
});
