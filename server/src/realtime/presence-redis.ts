import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Viewer } from '@switchboard/shared';
import type { PresenceStore } from './presence.ts';

const HEARTBEAT_MS = 10_000;
const NODE_TTL_S = 30;

/**
 * Presence shared by every node through Redis: one hash per viewed contact, one field per
 * socket (`<node>:<socket>`). A node that dies without cleaning up stops refreshing its
 * heartbeat key, and its entries are ignored (and pruned) within NODE_TTL_S.
 */
export class RedisPresence implements PresenceStore {
  readonly nodeId = randomUUID();
  private readonly mine = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  private key = (contactId: number) => `${this.prefix}:presence:contact:${contactId}`;
  private nodeKey = (nodeId: string) => `${this.prefix}:presence:node:${nodeId}`;
  private field = (socketId: string) => `${this.nodeId}:${socketId}`;

  private async beat(): Promise<void> {
    await this.redis.set(this.nodeKey(this.nodeId), '1', 'EX', NODE_TTL_S).catch(() => undefined);
  }

  async view(socketId: string, viewer: Viewer, contactId: number | null): Promise<number[]> {
    const before = this.mine.get(socketId);
    const multi = this.redis.multi();
    if (before !== undefined) multi.hdel(this.key(before), this.field(socketId));
    if (contactId === null) this.mine.delete(socketId);
    else {
      this.mine.set(socketId, contactId);
      multi.hset(this.key(contactId), this.field(socketId), JSON.stringify({ agentId: viewer.agentId, name: viewer.name }));
    }
    await multi.exec();
    return [...new Set([before, contactId].filter((c): c is number => typeof c === 'number'))];
  }

  async leave(socketId: string): Promise<number[]> {
    return this.view(socketId, { agentId: '', name: '' }, null);
  }

  async viewers(contactId: number): Promise<Viewer[]> {
    const entries = Object.entries(await this.redis.hgetall(this.key(contactId)));
    const nodes = [...new Set(entries.map(([f]) => f.split(':')[0]!))];
    const alive = new Set<string>();
    if (nodes.length) {
      const flags = await this.redis.mget(nodes.map((n) => this.nodeKey(n)));
      nodes.forEach((n, i) => flags[i] && alive.add(n));
    }
    const dead = entries.filter(([f]) => !alive.has(f.split(':')[0]!)).map(([f]) => f);
    if (dead.length) await this.redis.hdel(this.key(contactId), ...dead);
    const byAgent = new Map<string, Viewer>();
    for (const [f, v] of entries) if (alive.has(f.split(':')[0]!)) byAgent.set((JSON.parse(v) as Viewer).agentId, JSON.parse(v) as Viewer);
    return [...byAgent.values()];
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const [socketId, contactId] of this.mine) await this.redis.hdel(this.key(contactId), this.field(socketId)).catch(() => undefined);
    await this.redis.del(this.nodeKey(this.nodeId)).catch(() => undefined);
  }
}
