import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Job, StartImportBody } from '@switchboard/shared';
import type { TestApp } from '../helper.ts';

/** A multipart body with one `file` part, as a browser's FormData sends it. */
export function csvUpload(body: string | Buffer, filename = 'contacts.csv', field = 'file') {
  const boundary = `----sbtest${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function uploadCsv(t: TestApp, cookie: string, workspaceId: number, body: string | Buffer, filename?: string) {
  const { payload, headers } = csvUpload(body, filename);
  return t.app.inject({ method: 'POST', url: `/api/workspaces/${workspaceId}/imports`, headers: { ...headers, cookie }, payload });
}

export function startImport(t: TestApp, cookie: string, workspaceId: number, jobId: string, body: Partial<StartImportBody> & Pick<StartImportBody, 'mapping'>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/workspaces/${workspaceId}/imports/${jobId}/start`,
    headers: { cookie },
    payload: { channel: 'sms', defaultCountry: 'FR', onExisting: 'skip', ...body },
  });
}

const settled = ['completed', 'failed', 'cancelled', 'undone'];

/** Polls the job until it has settled (the runner works in the background). */
export async function waitForJob(t: TestApp, cookie: string, workspaceId: number, jobId: string, timeoutMs = 60_000): Promise<Job> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.app.inject({ method: 'GET', url: `/api/workspaces/${workspaceId}/jobs/${jobId}`, headers: { cookie } });
    const job = res.json() as Job;
    if (settled.includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms: ${res.body}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Upload, start with the mapping, wait: the finished job. */
export async function importCsv(
  t: TestApp,
  cookie: string,
  workspaceId: number,
  csv: string | Buffer,
  body: Partial<StartImportBody> & Pick<StartImportBody, 'mapping'>,
): Promise<Job> {
  const up = await uploadCsv(t, cookie, workspaceId, csv);
  if (up.statusCode !== 201) throw new Error(`upload: ${up.statusCode} ${up.body}`);
  const started = await startImport(t, cookie, workspaceId, up.json().jobId, body);
  if (started.statusCode !== 202) throw new Error(`start: ${started.statusCode} ${started.body}`);
  return waitForJob(t, cookie, workspaceId, up.json().jobId);
}

/** The job's error CSV, as the Jobs page downloads it. */
export async function errorsCsv(t: TestApp, cookie: string, workspaceId: number, jobId: string): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: `/api/workspaces/${workspaceId}/jobs/${jobId}/errors.csv`, headers: { cookie } });
  if (res.statusCode !== 200) throw new Error(`errors.csv: ${res.statusCode} ${res.body}`);
  return res.body;
}

/** A completed import with an error file and a result file on disk (every job route has something to answer). */
export async function newFinishedImport(t: TestApp, workspaceId: number) {
  const job = await t.db.tx((tx) => tx.job.create({ data: { workspaceId, kind: 'import', status: 'completed', title: 'contacts.csv (1 KB)', rejectedCount: 1 } }));
  const dir = join(t.config.dataDir, 'jobs', String(job.id));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'errors.csv'), 'Phone,error\n12,"line 2: Phone: ""12"" is not a valid phone number"\n');
  writeFileSync(join(dir, 'export.csv'), 'name\nAda\n');
  await t.db.tx((tx) => tx.job.update({ where: { id: job.id }, data: { errorFile: join(dir, 'errors.csv'), resultFile: join(dir, 'export.csv') } }));
  return job;
}
