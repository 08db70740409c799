import type { FastifyBaseLogger } from 'fastify';
import type { Channel, OutboundWebhookPayload } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { placeholders } from '../../lib/sql.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { loadMessage } from '../conversations/serialize.ts';
import { defaultSchedule, retryDelay, type RetrySchedule } from './schedule.ts';
import { DELIVERY_HEADER, signBody, SIGNATURE_HEADER } from './sign.ts';

export interface OutboundWorkerOptions {
  schedule?: RetrySchedule;
  /** How often to look for due deliveries when the last look found fewer than a batch. */
  pollMs?: number;
  timeoutMs?: number;
  batchSize?: number;
  /**
   * A delivery still `sending` this long after it was claimed belongs to a node that died
   * mid-send: it is claimed again (and counts as an attempt; receivers dedupe by delivery id).
   */
  staleMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

export const NO_WEBHOOK = 'no outbound webhook configured';

interface Claimed {
  deliveryId: number;
  attempts: number;
  messageId: number;
  workspaceId: number;
  conversationId: number;
  contactId: number;
  channel: Channel;
  channelUserId: string;
  body: string;
  createdAt: number;
  agentId: number | null;
  agentName: string | null;
  url: string | null;
  secret: string | null;
}

type Outcome = { ok: true } | { ok: false; error: string };

/**
 * Delivers agent replies on external channels to the workspace's webhook. Each round claims due
 * rows with a compare-and-set (`… WHERE status = 'pending'`) inside a transaction, so two nodes
 * never send the same delivery; the POST happens outside any transaction; the result and the
 * message's new delivery status commit together, and every status change of a message is
 * published to the workspace (`message:created` with the same id: clients upsert by id).
 */
export class OutboundWorker {
  private readonly schedule: RetrySchedule;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly staleMs: number;
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private stopping = new AbortController();

  constructor(
    private readonly deps: { db: Db; gateway: Gateway; log?: FastifyBaseLogger },
    options: OutboundWorkerOptions = {},
  ) {
    this.schedule = options.schedule ?? defaultSchedule;
    this.pollMs = options.pollMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.batchSize = options.batchSize ?? 10;
    this.staleMs = options.staleMs ?? Math.max(60_000, this.timeoutMs * 3);
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    this.loop = this.run();
  }

  /** Stops polling; a POST in flight is abandoned and its delivery handed back untouched. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopping.abort();
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Look for due deliveries now (e.g. right after a reply was stored) instead of at the next poll. */
  poke(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.tick();
      } catch (err) {
        this.deps.log?.error({ err }, 'outbound delivery round failed');
      }
      if (this.running && handled < this.batchSize) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** One round: claim what is due, deliver it, record the outcomes. Returns how many were claimed. */
  async tick(): Promise<number> {
    const claimed = await this.claim();
    await Promise.all(claimed.map((c) => this.deliver(c)));
    return claimed.length;
  }

  private async claim(): Promise<Claimed[]> {
    const { db } = this.deps;
    const now = this.now();
    const ids = await db.tx(async (_tx, sql) => {
      const staleBefore = new Date(now - this.staleMs);
      const due = await sql.column<number>(`SELECT id FROM OutboundDelivery WHERE status = 'pending' AND nextAttemptAt <= ? ORDER BY nextAttemptAt, id LIMIT ?`, [
        new Date(now),
        this.batchSize,
      ]);
      const stale = await sql.column<number>(`SELECT id FROM OutboundDelivery WHERE status = 'sending' AND updatedAt <= ? ORDER BY updatedAt, id LIMIT ?`, [
        staleBefore,
        this.batchSize,
      ]);
      const won: number[] = [];
      for (const id of [...due, ...stale].slice(0, this.batchSize)) {
        const taken = await sql.run(
          `UPDATE OutboundDelivery SET status = 'sending', attempts = attempts + 1, updatedAt = ?
           WHERE id = ? AND (status = 'pending' OR (status = 'sending' AND updatedAt <= ?))`,
          [new Date(now), id, staleBefore],
        );
        if (taken === 1) won.push(id);
      }
      return won;
    });
    if (!ids.length) return [];
    return db.sql.all<Claimed>(
      `SELECT d.id AS deliveryId, d.attempts, m.id AS messageId, m.workspaceId, m.conversationId, m.contactId, c.channel, c.channelUserId,
              m.body, m.createdAt, m.agentId, a.name AS agentName, w.outboundWebhookUrl AS url, w.webhookSecret AS secret
       FROM OutboundDelivery d
       JOIN Message m ON m.id = d.messageId
       JOIN Contact c ON c.id = m.contactId
       JOIN Workspace w ON w.id = m.workspaceId
       LEFT JOIN Agent a ON a.id = m.agentId
       WHERE d.id IN (${placeholders(ids.length)})`,
      ids,
    );
  }

  private async deliver(c: Claimed): Promise<void> {
    let outcome: Outcome;
    if (!c.url) {
      // Nothing to retry towards: the reply cannot leave until an admin sets a URL.
      return this.record(c, { ok: false, error: NO_WEBHOOK }, { final: true });
    }
    if (!c.secret) return this.record(c, { ok: false, error: 'no webhook secret configured' }, { final: true });
    try {
      outcome = await this.post(c, c.url, c.secret);
    } catch (err) {
      if (this.stopping.signal.aborted) return this.release(c);
      outcome = { ok: false, error: describe(err, this.timeoutMs) };
    }
    await this.record(c, outcome, { final: false });
  }

  private async post(c: Claimed, url: string, secret: string): Promise<Outcome> {
    const payload: OutboundWebhookPayload = {
      event: 'message.created',
      workspaceId: String(c.workspaceId),
      conversationId: String(c.conversationId),
      contact: { id: String(c.contactId), channel: c.channel, channelUserId: c.channelUserId },
      message: {
        id: String(c.messageId),
        body: c.body,
        createdAt: new Date(c.createdAt).toISOString(),
        agent: c.agentId === null ? null : { id: String(c.agentId), name: c.agentName ?? '' },
      },
    };
    const raw = JSON.stringify(payload);
    const res = await this.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Webhook/1',
        [SIGNATURE_HEADER]: signBody(secret, raw),
        [DELIVERY_HEADER]: String(c.deliveryId),
      },
      body: raw,
      // A redirect is an answer, not a new destination: never follow it with the signed body.
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.stopping.signal]),
    });
    await res.body?.cancel().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
  }

  private async record(c: Claimed, outcome: Outcome, { final }: { final: boolean }): Promise<void> {
    const { db, gateway } = this.deps;
    const now = this.now();
    const delay = outcome.ok || final ? null : retryDelay(this.schedule, c.attempts);
    const status = outcome.ok ? 'sent' : delay === null ? 'failed' : 'pending';
    const outbox = gateway.outbox();
    await db.tx(async (_tx, sql) => {
      const updated = await sql.run(
        `UPDATE OutboundDelivery SET status = ?, lastError = ?, nextAttemptAt = ?, updatedAt = ?
         WHERE id = ? AND status = 'sending' AND attempts = ?`,
        [status, outcome.ok ? null : outcome.error, new Date(delay === null ? now : now + delay), new Date(now), c.deliveryId, c.attempts],
      );
      // Someone took it back meanwhile (this node looked dead): their outcome counts.
      if (updated !== 1 || status === 'pending') return;
      const changed = await sql.run('UPDATE Message SET deliveryStatus = ? WHERE id = ? AND deliveryStatus IS DISTINCT FROM ?', [status, c.messageId, status]);
      if (changed !== 1) return;
      await outbox.add(sql, c.workspaceId, 'message:created', await loadMessage(sql, c.messageId), c.contactId);
    });
    gateway.publish(outbox);
    if (!outcome.ok) this.deps.log?.warn({ deliveryId: c.deliveryId, attempts: c.attempts, status, error: outcome.error }, 'outbound delivery failed');
  }

  /** Shutting down mid-send: the attempt did not happen as far as the schedule is concerned. */
  private async release(c: Claimed): Promise<void> {
    const { db } = this.deps;
    await db.tx(async (_tx, sql) => {
      await sql.run(
        `UPDATE OutboundDelivery SET status = 'pending', attempts = attempts - 1, nextAttemptAt = ?, updatedAt = ?
         WHERE id = ? AND status = 'sending' AND attempts = ?`,
        [new Date(this.now()), new Date(this.now()), c.deliveryId, c.attempts],
      );
    });
  }
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `timeout after ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`;
  const detail = e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
  return `request failed: ${detail}`.slice(0, 500);
}
