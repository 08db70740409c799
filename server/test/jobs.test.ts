import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@switchboard/shared';
import { login, setupApp, type TestApp } from './helper.ts';
import { newTeam } from './factories.ts';
import { startImport, uploadCsv, waitForJob } from './support/imports.ts';
import { JobRunner } from '../src/features/jobs/runner.ts';

let t: TestApp;
beforeAll(async () => {
  // Small batches: a few thousand rows take hundreds of checkpoints, so stopping lands mid-file.
  t = await setupApp({ IMPORT_BATCH_ROWS: '20' }, { jobs: { pollMs: 50, progressMs: 50 } });
});
afterAll(() => t.close());

const get = (ws: number, cookie: string, path = '') => t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/jobs${path}`, headers: { cookie } });
const jobRow = async (id: string | number) =>
  (await t.db.sql.get<{
    status: string;
    leaseOwner: string | null;
    leaseUntil: number | null;
    readCount: number;
    createdCount: number;
    checkpoint: string | null;
  }>('SELECT status, leaseOwner, leaseUntil, readCount, createdCount, checkpoint FROM Job WHERE id = ?', [Number(id)]))!;
const csvOf = (rows: number) => ['Name,Phone', ...Array.from({ length: rows }, (_, i) => `N${i},+33 6 ${10_000_000 + i}`)].join('\n');
const contacts = async (ws: number) => (await t.db.sql.value<number>('SELECT count(*) FROM Contact WHERE workspaceId = ?', [ws]))!;

/** Waits until the job has committed at least one batch (polling; no timing is asserted). */
async function untilSomeRowsDone(jobId: string) {
  for (let i = 0; i < 2400; i++) {
    if ((await jobRow(jobId)).readCount > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no batch committed');
}

describe('jobs list and detail', () => {
  it('lets every member watch jobs newest first, filtered by kind; 404 for another workspace', async () => {
    const { workspace, members } = await newTeam(t.db);
    const other = await newTeam(t.db);
    const ws = workspace.id;
    // Queued jobs of a kind this file never runs stay queued: only their rows matter here.
    const a = await t.app.jobs.create({ workspaceId: ws, kind: 'import', authorId: members.lead.id, params: {}, title: 'a.csv (1 KB)', status: 'draft' });
    const b = await t.app.jobs.create({ workspaceId: ws, kind: 'import', authorId: members.lead.id, params: {}, title: 'b.csv (1 KB)', status: 'draft' });
    const agent = await login(t.app, members.agent.email);
    const list = (await get(ws, agent)).json().items as Job[];
    expect(list.map((j) => j.id)).toEqual([String(b), String(a)]);
    expect(list[0]).toMatchObject({ kind: 'import', status: 'draft', title: 'b.csv (1 KB)', author: { id: String(members.lead.id), name: `lead ${ws}` }, counts: { read: 0 }, hasErrors: false, undoable: false });
    expect((await get(ws, agent, '?kind=export')).json().items).toEqual([]);
    expect((await get(ws, agent, `?before=${b}`)).json().items.map((j: Job) => j.id)).toEqual([String(a)]);
    expect((await get(ws, agent, `/${a}`)).json().id).toBe(String(a));
    const stranger = await login(t.app, other.members.admin.email);
    expect((await get(other.workspace.id, stranger, `/${a}`)).statusCode).toBe(404);
    expect((await get(ws, agent, `/${a}/errors.csv`)).statusCode).toBe(403);
    const lead = await login(t.app, members.lead.email);
    expect((await get(ws, lead, `/${a}/errors.csv`)).statusCode).toBe(404);
    expect((await get(ws, lead, `/${a}/download`)).statusCode).toBe(404);
  });
});

describe('cancel', () => {
  it('cancels a draft at once, then answers 409; agents cannot cancel', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const id = await t.app.jobs.create({ workspaceId: ws, kind: 'import', authorId: members.lead.id, params: {}, title: 'x', status: 'draft' });
    const agent = await login(t.app, members.agent.email);
    const lead = await login(t.app, members.lead.email);
    const cancel = (cookie: string) => t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/jobs/${id}/cancel`, headers: { cookie } });
    expect((await cancel(agent)).statusCode).toBe(403);
    const res = await cancel(lead);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', finishedAt: expect.any(String) });
    const again = await cancel(lead);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'conflict', message: 'This job has already cancelled' });
  });

  it('stops a running import at a batch boundary: what committed is counted, nothing after', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const lead = await login(t.app, members.lead.email);
    const jobId = (await uploadCsv(t, lead, ws, csvOf(6000))).json().jobId as string;
    expect((await startImport(t, lead, ws, jobId, { mapping: { Name: 'firstName', Phone: 'phone' } })).statusCode).toBe(202);
    await untilSomeRowsDone(jobId);
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/jobs/${jobId}/cancel`, headers: { cookie: lead } });
    expect(res.statusCode).toBe(200);
    const job = await waitForJob(t, lead, ws, jobId);
    expect(job.status).toBe('cancelled');
    // Rows and counts commit together and only while the job is running: whenever this reads,
    // the contacts written are exactly the ones counted, and the count stopped short of the file.
    const row = await jobRow(jobId);
    expect(row.status).toBe('cancelled');
    expect(row.readCount).toBeLessThan(6000);
    expect(await contacts(ws)).toBe(row.createdCount);
  });
});

describe('resume', () => {
  it('continues a job from its checkpoint after the runner stopped mid-file: every row once', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const lead = await login(t.app, members.lead.email);
    const jobId = (await uploadCsv(t, lead, ws, csvOf(4000))).json().jobId as string;
    expect((await startImport(t, lead, ws, jobId, { mapping: { Name: 'firstName', Phone: 'phone' } })).statusCode).toBe(202);
    await untilSomeRowsDone(jobId);
    // The app's runner shuts down as on SIGTERM: the job stops at a batch boundary, its lease is released.
    await t.app.jobs.close();
    const stopped = await jobRow(jobId);
    expect(stopped).toMatchObject({ status: 'running', leaseUntil: 0 });
    expect(stopped.readCount).toBeGreaterThan(0);
    expect(stopped.readCount).toBeLessThan(4000);
    expect(JSON.parse(stopped.checkpoint!)).toMatchObject({ byteOffset: expect.any(Number), lines: stopped.readCount + 1 });

    const next = new JobRunner({ db: t.db, config: t.config, gateway: t.app.gateway }, { pollMs: 50 });
    next.start();
    try {
      const job = await waitForJob(t, lead, ws, jobId);
      expect(job).toMatchObject({ status: 'completed', total: 4000, counts: { read: 4000, created: 4000, updated: 0, skipped: 0, rejected: 0 } });
      expect(await contacts(ws)).toBe(4000);
      expect(await t.db.sql.value('SELECT count(*) FROM JobContactChange WHERE jobId = ?', [Number(jobId)])).toBe(4000);
    } finally {
      await next.close();
    }
  });
});

describe('leases', () => {
  it('leaves a job whose lease another node holds, and takes it over once the lease expired', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const lead = await login(t.app, members.lead.email);
    // An undo with nothing to revert: the smallest job that runs to completion.
    const job = await t.db.tx((tx) =>
      tx.job.create({ data: { workspaceId: ws, kind: 'undo', status: 'running', title: 'Undo', params: { importJobId: 999_999 }, leaseOwner: 'other-node', leaseUntil: new Date(Date.now() + 60_000) } }),
    );
    const runner = new JobRunner({ db: t.db, config: t.config, gateway: t.app.gateway });
    try {
      await runner.tick();
      expect(await jobRow(job.id)).toMatchObject({ status: 'running', leaseOwner: 'other-node' });
      await t.db.tx((tx) => tx.job.update({ where: { id: job.id }, data: { leaseUntil: new Date(Date.now() - 1) } }));
      await runner.tick();
      const done = await waitForJob(t, lead, ws, String(job.id));
      expect(done.status).toBe('completed');
      expect((await jobRow(job.id)).leaseOwner).toBeNull();
    } finally {
      await runner.close();
    }
  });
});
