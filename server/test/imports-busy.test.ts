import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@switchboard/shared';
import { login, setupApp, type TestApp } from './helper.ts';
import { newContact, newTeam } from './factories.ts';
import { startImport, uploadCsv } from './support/imports.ts';

let t: TestApp;
beforeAll(async () => {
  // Large batches: each holds the write lock as long as the import allows (MAX_TX_MS).
  t = await setupApp({ IMPORT_BATCH_ROWS: '5000', JOB_LEASE_SECONDS: '30' }, { jobs: { pollMs: 50, progressMs: 200 } });
});
afterAll(() => t.close());

describe('an import and heavy editing at once', () => {
  it('never surfaces "database is locked": every edit succeeds while the import writes, and the import completes', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const lead = await login(t.app, members.lead.email);
    const agent = await login(t.app, members.agent.email);
    const contacts = await Promise.all(Array.from({ length: 20 }, () => newContact(t.db, { workspaceId: ws })));

    const rows = 20_000;
    const csv = ['First name,Phone,Tags', ...Array.from({ length: rows }, (_, i) => `Row ${i},+33 6 ${String(10_000_000 + i)},imported;batch${i % 7}`)].join('\n');
    const up = await uploadCsv(t, lead, ws, csv);
    expect(up.statusCode).toBe(201);
    const jobId = up.json().jobId as string;
    expect((await startImport(t, lead, ws, jobId, { mapping: { 'First name': 'firstName', Phone: 'phone', Tags: 'tags' } })).statusCode).toBe(202);

    // Edits from agents for as long as the import runs: tags on, tags off, notes.
    const failures: string[] = [];
    let edits = 0;
    let job: Job;
    for (let round = 0; ; round++) {
      job = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/jobs/${jobId}`, headers: { cookie: lead } })).json() as Job;
      if (!['queued', 'running'].includes(job.status)) break;
      const results = await Promise.all(
        contacts.map((c, i) =>
          (i % 3 === 2
            ? t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/contacts/${c.id}/notes`, headers: { cookie: agent }, payload: { body: `note ${round}` } })
            : t.app.inject({
                method: 'PATCH',
                url: `/api/workspaces/${ws}/contacts/${c.id}`,
                headers: { cookie: agent },
                payload: { ops: [{ op: round % 2 ? 'removeTag' : 'addTag', tag: `live${i}` }] },
              })
          ).then((res) => {
            edits++;
            if (res.statusCode >= 300) failures.push(`${res.statusCode} ${res.body}`);
          }),
        ),
      );
      expect(results).toHaveLength(contacts.length);
    }
    expect(failures).toEqual([]);
    expect(edits).toBeGreaterThan(contacts.length); // at least a few rounds overlapped the import
    expect(job.status).toBe('completed');
    expect(job.counts.created).toBe(rows);
  }, 180_000);
});
