import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAFT_TTL_MS, Housekeeping } from '../src/features/jobs/housekeeping.ts';
import { RETENTION_MS } from '../src/realtime/replay.ts';
import { newTeam } from './factories.ts';
import { login, setupApp, type TestApp } from './helper.ts';
import { uploadCsv } from './support/imports.ts';

let t: TestApp;
let keeper: Housekeeping;
beforeAll(async () => {
  t = await setupApp();
  keeper = new Housekeeping({ db: t.db, config: t.config, gateway: t.app.gateway, jobs: t.app.jobs });
});
afterAll(() => t.close());

const sql = async <T>(q: string, ...params: number[]) => (await t.db.sql.get<T>(q, params))!;

describe('housekeeping', () => {
  it('cancels draft imports nobody started within a day, with an audit entry, and deletes their uploads', async () => {
    const { workspace, members } = await newTeam(t.db);
    const lead = await login(t.app, members.lead.email);
    const stale = (await uploadCsv(t, lead, workspace.id, 'Phone\n+33612345678\n')).json() as { jobId: string };
    const fresh = (await uploadCsv(t, lead, workspace.id, 'Phone\n+33612345679\n')).json() as { jobId: string };
    const now = Date.now();
    await t.db.sql.run('UPDATE Job SET createdAt = ? WHERE id = ?', [new Date(now - DRAFT_TTL_MS - 1000), Number(stale.jobId)]);
    const dir = (id: string) => join(t.config.dataDir, 'jobs', id);
    expect(readdirSync(dir(stale.jobId)).length).toBeGreaterThan(0);

    expect((await keeper.run(now)).drafts).toBe(1);

    const job = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/jobs/${stale.jobId}`, headers: { cookie: lead } })).json() as Job;
    expect(job.status).toBe('cancelled');
    expect(job.error).toMatch(/expired/);
    expect(existsSync(dir(stale.jobId))).toBe(false);
    expect((await sql<{ n: number }>(`SELECT count(*) AS n FROM AuditEvent WHERE workspaceId = ? AND action = 'job.expired'`, workspace.id)).n).toBe(1);
    // The fresh draft is untouched and can still be started.
    expect((await sql<{ status: string }>('SELECT status FROM Job WHERE id = ?', Number(fresh.jobId))).status).toBe('draft');
    expect(existsSync(dir(fresh.jobId))).toBe(true);
    // Nothing left to do on a second pass.
    expect((await keeper.run(now)).drafts).toBe(0);
  });

  it('drops events older than the replay retention and keeps the rest', async () => {
    const { workspace } = await newTeam(t.db);
    const now = Date.now();
    const insert = (seq: number, createdAt: number) =>
      t.db.sql.run(`INSERT INTO EventLog (workspaceId, seq, name, room, payload, createdAt) VALUES (?, ?, 'tag:created', ?, '{}', ?)`, [workspace.id, seq, `workspace:${workspace.id}`, new Date(createdAt)]);
    await insert(1, now - RETENTION_MS - 60_000);
    await insert(2, now - RETENTION_MS + 60_000);
    const { events } = await keeper.run(now);
    expect(events).toBeGreaterThanOrEqual(1);
    const left = await t.db.sql.column('SELECT seq FROM EventLog WHERE workspaceId = ? ORDER BY seq', [workspace.id]);
    expect(left).toEqual([2]);
  });
});
