import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helper.ts';
import { newTeam } from './factories.ts';
import { sqlitePath } from '../src/db/sqlite.ts';
import { loadCatalogue } from '../src/features/catalogue/service.ts';
import { buildPlan } from '../src/features/imports/plan.ts';
import { runImport, type WorkerMessage } from '../src/features/imports/worker.ts';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp();
});
afterAll(() => t.close());

/** The worker's run, called in this thread with a job row it holds the lease of. */
async function run(rows: number, writeIntent: Int32Array) {
  const { workspace } = await newTeam(t.db);
  const job = await t.db.tx((tx) => tx.job.create({ data: { workspaceId: workspace.id, kind: 'import', status: 'running', leaseOwner: 'me', title: 'x' } }));
  const file = join(t.dataDir, `in-${job.id}.csv`);
  writeFileSync(file, ['Phone', ...Array.from({ length: rows }, (_, i) => `+33 6 ${30_000_000 + job.id * 1000 + i}`)].join('\n'));
  const plan = buildPlan(['Phone'], loadCatalogue(t.db, workspace.id), { mapping: { Phone: 'phone' }, channel: 'sms', defaultCountry: 'FR', onExisting: 'skip' });
  const batches: WorkerMessage[] = [];
  const end = await runImport(
    { dbFile: sqlitePath(t.config.databaseUrl), jobId: job.id, workspaceId: workspace.id, authorId: null, leaseOwner: 'me', inputFile: file, errorFile: join(t.dataDir, `err-${job.id}.csv`), fileSize: statSync(file).size, plan, checkpoint: undefined, batchSize: 100, leaseMs: 30_000, writeIntent },
    () => false,
    (m) => batches.push(m),
  );
  return { end, batches: batches.length, created: (t.db.conn.prepare('SELECT createdCount FROM Job WHERE id = ?').pluck().safeIntegers(false).get(job.id) as number) };
}

describe('import batches and the main thread’s writes', () => {
  it('commit a batch of rows at once when nobody else wants to write', async () => {
    expect(await run(5, new Int32Array(new SharedArrayBuffer(4)))).toEqual({ end: { type: 'done' }, batches: 1, created: 5 });
  });

  it('end each batch at the next row while a write of this process is waiting, and still import every row', async () => {
    const intent = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(intent, 0, 1);
    // One row per transaction (the last one commits the end of the file with it).
    expect(await run(5, intent)).toEqual({ end: { type: 'done' }, batches: 5, created: 5 });
  });
});
