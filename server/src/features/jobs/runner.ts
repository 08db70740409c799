import { randomUUID } from 'node:crypto';
import { renameSync } from 'node:fs';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { placeholders } from '../../lib/sql.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import type { Outbox } from '../../realtime/outbox.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { JobStopped, jobContext } from './context.ts';
import { jobFile } from './files.ts';
import { jobHandlers } from './kinds.ts';
import { Throttle } from './progress.ts';
import { finished, loadJobRow, serializeJobs, toRecord, type JobRow } from './store.ts';
import type { JobQueue, NewJob } from './types.ts';

export interface JobRunnerOptions {
  /** Jobs this node runs at once (an export need not wait behind a million-row import). */
  concurrency?: number;
  /** How often to look for jobs queued by other nodes and for expired leases. */
  pollMs?: number;
  /** Overrides config.jobLeaseMs (tests). */
  leaseMs?: number;
  /** Smallest gap between two `job:progress` pushes of one job. */
  progressMs?: number;
}


type StopReason = 'cancelled' | 'shutdown' | 'lost';

interface Running {
  id: number;
  controller: AbortController;
  reason: StopReason | undefined;
  done: Promise<void>;
}

const agentActor = (authorId: number | null): Actor => (authorId === null ? { kind: 'system' } : { kind: 'agent', id: authorId });

/**
 * The job queue and runner of this process (`app.jobs`). Jobs are rows: `create`/`queue` write
 * them; the runner claims a queued job (or a running one whose lease expired: its node died) by
 * taking its lease in a transaction, renews the lease while the handler runs, and resumes a
 * handler from its last checkpoint. Several nodes on one database share the work this way.
 */
export class JobRunner implements JobQueue {
  readonly nodeId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly progressMs: number;
  private readonly running = new Map<number, Running>();
  private pollTimer: NodeJS.Timeout | undefined;
  private active = false;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;

  constructor(
    private readonly deps: { db: Db; config: Config; gateway: Gateway; log?: FastifyBaseLogger },
    options: JobRunnerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 2;
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? deps.config.jobLeaseMs;
    this.progressMs = options.progressMs ?? 500;
  }

  // ---- the queue ----

  async create(job: NewJob): Promise<number> {
    const { db, gateway } = this.deps;
    const outbox = gateway.outbox();
    const id = await db.tx((tx, sql) => this.createInTx(tx, sql, outbox, job));
    gateway.publish(outbox);
    if ((job.status ?? 'queued') === 'queued') this.wake();
    return id;
  }

  /** `create` inside the caller's transaction; a queued job starts once the caller commits and calls `wake()`. */
  async createInTx(tx: Tx, sql: Sql, outbox: Outbox, job: NewJob): Promise<number> {
    const now = new Date();
    const id = (await sql.value<number>(
      `INSERT INTO Job (workspaceId, kind, status, title, params, totalCount, authorId, relatedJobId, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [job.workspaceId, job.kind, job.status ?? 'queued', job.title, JSON.stringify(job.params ?? null), job.total ?? null, job.authorId, job.relatedJobId ?? null, now, now],
    ))!;
    await recordAudit(tx, { workspaceId: job.workspaceId, actor: agentActor(job.authorId), action: 'job.created', changes: { jobId: id, kind: job.kind, title: job.title } });
    if (job.inputFile) {
      // Last step of the transaction: the upload moves under the job's directory only if the row commits.
      const target = jobFile(this.deps.config, id, 'input.csv');
      renameSync(job.inputFile, target);
      await sql.run('UPDATE Job SET inputFile = ? WHERE id = ?', [target, id]);
    }
    await this.push(sql, outbox, id);
    return id;
  }

  async queue(jobId: number, params: unknown): Promise<void> {
    const { db, gateway } = this.deps;
    const outbox = gateway.outbox();
    await db.tx(async (_tx, sql) => this.queueInTx(sql, outbox, jobId, params));
    gateway.publish(outbox);
    this.wake();
  }

  /** Inside the caller's `db.tx()`: a draft becomes queued with its final params. Call `wake()` after the commit. */
  async queueInTx(sql: Sql, outbox: Outbox, jobId: number, params: unknown): Promise<void> {
    const changed = await sql.run(`UPDATE Job SET status = 'queued', params = ?, updatedAt = ? WHERE id = ? AND status = 'draft'`, [JSON.stringify(params), new Date(), jobId]);
    if (changed !== 1) throw conflict('This job has already been started', { path: 'jobId' });
    await this.push(sql, outbox, jobId);
  }

  async cancel(jobId: number): Promise<void> {
    const row = await loadJobRow(this.deps.db.sql, jobId);
    if (!row) throw notFound('Job');
    await this.cancelBy(row.workspaceId, { kind: 'system' }, jobId);
  }

  /**
   * Cancels in the database first: the job's next batch finds it no longer running and rolls
   * back, whichever node runs it. Here the handler is also told at once through its signal.
   */
  async cancelBy(workspaceId: number, actor: Actor, jobId: number): Promise<void> {
    const { db, gateway } = this.deps;
    const outbox = gateway.outbox();
    await db.tx(async (tx, sql) => {
      const row = await loadJobRow(sql, jobId, workspaceId);
      if (!row) throw notFound('Job');
      if (finished.includes(row.status)) throw conflict(`This job has already ${row.status === 'undone' ? 'been undone' : row.status}`, { path: 'status', status: row.status });
      const now = new Date();
      await sql.run(`UPDATE Job SET status = 'cancelled', finishedAt = ?, leaseOwner = NULL, leaseUntil = NULL, updatedAt = ? WHERE id = ?`, [now, now, jobId]);
      await recordAudit(tx, { workspaceId, actor, action: 'job.cancelled', changes: { jobId, kind: row.kind, title: row.title } });
      await this.push(sql, outbox, jobId);
    });
    gateway.publish(outbox);
    const local = this.running.get(jobId);
    if (local) {
      local.reason ??= 'cancelled';
      local.controller.abort(new Error('cancelled'));
    }
  }

  /** Inside a transaction, with its `sql`: a `job:progress` with the job as it stands. */
  async push(sql: Sql, outbox: Outbox, jobId: number): Promise<void> {
    const row = await loadJobRow(sql, jobId);
    if (row) await outbox.add(sql, row.workspaceId, 'job:progress', (await serializeJobs(sql, [row]))[0]!);
  }

  // ---- the runner ----

  /** Starts taking jobs (server.ts does; tests opt in). */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** Looks for work now instead of at the next poll. */
  wake(): void {
    if (!this.active) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump()
      .catch((err) => this.deps.log?.error({ err }, 'job runner could not claim a job'))
      .finally(() => {
        this.pumping = null;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.wake();
        }
      });
  }

  /**
   * Stops taking jobs and stops the running ones at their next batch boundary. Their leases are
   * released, so the next start (or another node) resumes them from their checkpoints at once.
   */
  async close(): Promise<void> {
    this.active = false;
    clearInterval(this.pollTimer);
    for (const r of this.running.values()) {
      r.reason ??= 'shutdown';
      r.controller.abort(new Error('shutdown'));
    }
    await this.pumping;
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  /** One look for work, awaited: claims what it can and starts it (tests; the poll does the same). */
  async tick(): Promise<void> {
    await this.pump(true);
  }

  private async pump(force = false): Promise<void> {
    while ((this.active || force) && this.running.size < this.concurrency) {
      const row = await this.claim();
      if (!row) return;
      this.launch(row);
    }
  }

  private async claim(): Promise<JobRow | undefined> {
    const { db, gateway } = this.deps;
    const outbox = gateway.outbox();
    const mine = [...this.running.keys()];
    // Jobs this node runs already are left out (a lease of ours can lapse while a batch is slow).
    const notMine = mine.length ? `AND id NOT IN (${placeholders(mine.length)})` : '';
    const row = await db.tx(async (_tx, sql) => {
      const now = Date.now();
      const id = await sql.value<number>(
        `SELECT id FROM Job WHERE (status = 'queued' OR (status = 'running' AND (leaseUntil IS NULL OR leaseUntil < ?)))
         ${notMine} ORDER BY id LIMIT 1`,
        [new Date(now), ...mine],
      );
      if (id === undefined) return undefined;
      await sql.run(`UPDATE Job SET status = 'running', leaseOwner = ?, leaseUntil = ?, startedAt = COALESCE(startedAt, ?), updatedAt = ? WHERE id = ?`, [
        this.nodeId,
        new Date(now + this.leaseMs),
        new Date(now),
        new Date(now),
        id,
      ]);
      await this.push(sql, outbox, id);
      return loadJobRow(sql, id);
    });
    gateway.publish(outbox);
    return row;
  }

  private launch(row: JobRow): void {
    const controller = new AbortController();
    const entry: Running = { id: row.id, controller, reason: undefined, done: Promise.resolve() };
    this.running.set(row.id, entry);
    entry.done = this.execute(row, entry).finally(() => {
      this.running.delete(row.id);
      this.wake();
    });
  }

  private async execute(row: JobRow, entry: Running): Promise<void> {
    const { db, config, gateway, log } = this.deps;
    const job = toRecord(row);
    const files: { errorFile?: string; resultFile?: string } = {};
    const progress = new Throttle(this.progressMs, () => void this.publishProgress(row.id));
    const renew = setInterval(() => void this.renew(entry), Math.max(100, Math.floor(this.leaseMs / 3)));
    renew.unref();

    const ctx = jobContext({
      deps: { db, config, gateway },
      row,
      job,
      signal: entry.controller.signal,
      lease: { owner: this.nodeId, ms: this.leaseMs },
      files,
      reportProgress: () => progress.request(),
    });

    try {
      const handler = jobHandlers[row.kind];
      if (!handler) throw new Error(`no handler for ${row.kind} jobs on this node`);
      await handler(ctx);
      if (entry.controller.signal.aborted) throw new JobStopped();
      await this.finish(row, 'completed', null, files);
    } catch (err) {
      const reason = entry.reason ?? (err instanceof JobStopped ? 'lost' : undefined);
      if (reason === 'shutdown') await this.release(row.id);
      else if (!reason) {
        log?.warn({ err, jobId: row.id, kind: row.kind }, 'job failed');
        await this.finish(row, 'failed', messageOf(err), files).catch((e) => log?.error({ err: e, jobId: row.id }, 'could not record a failed job'));
      }
      // cancelled or lost: the database already says what happened (cancel pushed it).
    } finally {
      clearInterval(renew);
      progress.cancel();
    }
  }

  private async finish(row: JobRow, status: 'completed' | 'failed', error: string | null, files: { errorFile?: string; resultFile?: string }): Promise<void> {
    const { db, gateway } = this.deps;
    const outbox = gateway.outbox();
    await db.tx(async (_tx, sql) => {
      const now = new Date();
      const changed = await sql.run(
        `UPDATE Job SET status = ?, error = ?, finishedAt = ?, progress = CASE WHEN ? = 'completed' THEN 1 ELSE progress END,
           errorFile = COALESCE(?, errorFile), resultFile = COALESCE(?, resultFile), leaseOwner = NULL, leaseUntil = NULL, updatedAt = ?
         WHERE id = ? AND status = 'running' AND leaseOwner = ?`,
        [status, error, now, status, files.errorFile ?? null, files.resultFile ?? null, now, row.id, this.nodeId],
      );
      if (changed === 1) await this.push(sql, outbox, row.id);
    });
    gateway.publish(outbox);
  }

  /** Shutting down: the lease ends now, so a restart resumes the job without waiting for it to expire. */
  private async release(jobId: number): Promise<void> {
    const { db } = this.deps;
    await db
      .tx(async (_tx, sql) => {
        await sql.run(`UPDATE Job SET leaseUntil = ? WHERE id = ? AND status = 'running' AND leaseOwner = ?`, [new Date(0), jobId, this.nodeId]);
      })
      .catch((err) => this.deps.log?.error({ err, jobId }, 'could not release a job lease'));
  }

  private async renew(entry: Running): Promise<void> {
    const { db } = this.deps;
    try {
      // A read first (WAL: it never waits on the write lock): a handler whose batches extend the
      // lease themselves (the import) needs no write from this thread, and a cancel shows here too.
      const now = Date.now();
      const row = await db.sql.get<{ status: string; leaseOwner: string | null; leaseUntil: number | null }>('SELECT status, leaseOwner, leaseUntil FROM Job WHERE id = ?', [
        entry.id,
      ]);
      const ours = row?.status === 'running' && row.leaseOwner === this.nodeId;
      if (ours && (row.leaseUntil ?? 0) - now > this.leaseMs / 2) return;
      const kept =
        ours &&
        (await db.tx(async (_tx, sql) => {
          const until = new Date(Date.now() + this.leaseMs);
          return (await sql.run(`UPDATE Job SET leaseUntil = ? WHERE id = ? AND status = 'running' AND leaseOwner = ?`, [until, entry.id, this.nodeId])) === 1;
        }));
      if (!kept && !entry.controller.signal.aborted) {
        // Cancelled elsewhere (another node's API call) or taken over: stop at the next batch.
        entry.reason ??= 'lost';
        entry.controller.abort(new Error('lost'));
      }
    } catch (err) {
      this.deps.log?.warn({ err, jobId: entry.id }, 'job lease renewal failed');
    }
  }

  private async publishProgress(jobId: number): Promise<void> {
    const { db, gateway } = this.deps;
    const outbox = gateway.outbox();
    try {
      await db.tx(async (_tx, sql) => this.push(sql, outbox, jobId));
      gateway.publish(outbox);
    } catch (err) {
      this.deps.log?.warn({ err, jobId }, 'job progress push failed');
    }
  }
}

function messageOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.slice(0, 1000) || 'failed';
}
