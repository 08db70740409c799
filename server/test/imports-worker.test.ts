import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, testDatabase, type TestApp } from './helper.ts';
import { newTeam } from './factories.ts';
import { loadCatalogue } from '../src/features/catalogue/service.ts';
import { buildPlan } from '../src/features/imports/plan.ts';
import { runImport, type WorkerMessage } from '../src/features/imports/worker.ts';
import { announceWrite, holding, newWriteIntent, writeDone, writersWaiting } from '../src/db/write-intent.ts';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp();
});
afterAll(() => t.close());

/** The worker's run, called in this thread with a job row it holds the lease of. */
async function run(rows: number, writeIntent: Int32Array, notes = '') {
  const { workspace } = await newTeam(t.db);
  const job = await t.db.tx((tx) => tx.job.create({ data: { workspaceId: workspace.id, kind: 'import', status: 'running', leaseOwner: 'me', title: 'x' } }));
  const file = join(t.dataDir, `in-${job.id}.csv`);
  const header = notes ? ['Phone', 'Notes'] : ['Phone'];
  const line = (i: number) => `+33 6 ${30_000_000 + job.id * 1000 + i}` + (notes ? `,${notes}` : '');
  writeFileSync(file, [header.join(','), ...Array.from({ length: rows }, (_, i) => line(i))].join('\n'));
  const plan = buildPlan(header, await loadCatalogue(t.db.sql, workspace.id), { mapping: { Phone: 'phone' }, channel: 'sms', defaultCountry: 'FR', onExisting: 'skip' });
  const batches: WorkerMessage[] = [];
  const end = await runImport(
    { databaseUrl: t.config.databaseUrl, jobId: job.id, workspaceId: workspace.id, authorId: null, leaseOwner: 'me', inputFile: file, errorFile: join(t.dataDir, `err-${job.id}.csv`), fileSize: statSync(file).size, plan, checkpoint: undefined, batchSize: 100, leaseMs: 30_000, writeIntent },
    () => false,
    (m) => batches.push(m),
  );
  return { end, batches: batches.length, created: (await t.db.sql.value<number>('SELECT createdCount FROM Job WHERE id = ?', [job.id]))! };
}

describe('import batches and the main thread’s writes', () => {
  it('commit a batch of rows at once when nobody else wants to write', async () => {
    expect(await run(5, newWriteIntent())).toEqual({ end: { type: 'done' }, batches: 1, created: 5 });
  });

  // The write-intent hand-over is SQLite's single writer; PostgreSQL writers queue on the write lock.
  it.runIf(testDatabase === 'sqlite')('end each batch at the next row while a write of this process is waiting, and still import every row', async () => {
    const intent = newWriteIntent();
    Atomics.store(intent, 0, 1);
    // One row per transaction (the last one commits the end of the file with it).
    expect(await run(5, intent)).toEqual({ end: { type: 'done' }, batches: 5, created: 5 });
  });

  it('commit once a batch holds 16 MB of the file, however few rows that is', async () => {
    // 40 rows of 900 KB (an unmapped column): 18 rows a batch, not the 100 the batch size allows.
    expect(await run(40, newWriteIntent(), 'x'.repeat(900_000))).toEqual({ end: { type: 'done' }, batches: 3, created: 40 });
  });

  it('let a main-thread writer wait for the worker’s commit without blocking the event loop', async () => {
    const intent = newWriteIntent();
    holding(intent, true); // the worker is inside a batch
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let through = false;
    const waiting = announceWrite(intent).then(() => (through = true));
    await new Promise((r) => setTimeout(r, 40));
    expect(writersWaiting(intent)).toBe(true); // the worker ends its batch at the next row
    expect(through).toBe(false);
    expect(ticks).toBeGreaterThan(5); // timers kept running meanwhile
    holding(intent, false); // the worker committed
    await waiting;
    clearInterval(timer);
    writeDone(intent);
    expect(writersWaiting(intent)).toBe(false);
  });
});
