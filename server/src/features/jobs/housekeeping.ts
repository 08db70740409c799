import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { pruneEventLog } from '../../realtime/replay.ts';
import { recordAudit } from '../audit/service.ts';
import type { JobRunner } from './runner.ts';

/** An upload nobody started (mapping never confirmed) is dropped after this long, with its file. */
export const DRAFT_TTL_MS = 24 * 3600 * 1000;
const EVERY_MS = 15 * 60 * 1000;

export interface HousekeepingDeps {
  db: Db;
  config: Pick<Config, 'dataDir'>;
  gateway: Gateway;
  jobs: Pick<JobRunner, 'push'>;
  log?: FastifyBaseLogger;
}

/**
 * A node's upkeep, at start and every 15 minutes: events older than the replay retention leave
 * the EventLog (a client that far behind is told to resync anyway), and draft imports older than
 * DRAFT_TTL_MS are cancelled and their uploads deleted, so abandoned files do not fill DATA_DIR.
 * Safe on several nodes at once: each step is a conditional write in a transaction.
 */
export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly deps: HousekeepingDeps) {}

  start(): void {
    this.running = this.run().catch((err) => this.deps.log?.error({ err }, 'housekeeping failed'));
    this.timer = setInterval(() => {
      this.running = this.run().catch((err) => this.deps.log?.error({ err }, 'housekeeping failed'));
    }, EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async run(now = Date.now()): Promise<{ events: number; drafts: number }> {
    const events = await pruneEventLog(this.deps.db, now);
    const drafts = await this.expireDrafts(now);
    return { events, drafts };
  }

  /** Cancels stale drafts (audited, pushed to the Jobs page), then deletes their directories. */
  async expireDrafts(now: number): Promise<number> {
    const { db, gateway, jobs, config } = this.deps;
    const stale = await db.sql.all<{ id: number; workspaceId: number; title: string }>(`SELECT id, workspaceId, title FROM Job WHERE status = 'draft' AND createdAt < ?`, [
      new Date(now - DRAFT_TTL_MS),
    ]);
    if (!stale.length) return 0;
    const outbox = gateway.outbox();
    const expired: number[] = [];
    await db.tx(async (tx, sql) => {
      for (const job of stale) {
        // Started (or cancelled) meanwhile, maybe on another node: leave it be.
        const changed = await sql.run(`UPDATE Job SET status = 'cancelled', error = ?, finishedAt = ?, updatedAt = ? WHERE id = ? AND status = 'draft'`, [
          'The upload was never started and expired after 24 hours; upload the file again to import it',
          new Date(now),
          new Date(now),
          job.id,
        ]);
        if (!changed) continue;
        await recordAudit(tx, { workspaceId: job.workspaceId, actor: { kind: 'system' }, action: 'job.expired', changes: { jobId: job.id, kind: 'import', title: job.title } });
        await jobs.push(sql, outbox, job.id);
        expired.push(job.id);
      }
    });
    gateway.publish(outbox);
    for (const id of expired) rmSync(join(config.dataDir, 'jobs', String(id)), { recursive: true, force: true });
    if (expired.length) this.deps.log?.info({ jobs: expired }, 'expired draft imports');
    return expired.length;
  }
}
