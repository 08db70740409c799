import type { Viewer } from '@switchboard/shared';

/**
 * Who has which contact open. One process keeps it in memory; with several nodes each node
 * knows its own sockets and the union is built from every node (see RedisPresence).
 */
export interface PresenceStore {
  /** Sets what a socket views (null: nothing); returns the contacts whose viewers changed. */
  view(socketId: string, viewer: Viewer & { workspaceId: number }, contactId: number | null): Promise<number[]>;
  leave(socketId: string): Promise<number[]>;
  viewers(contactId: number): Promise<Viewer[]>;
}

export class MemoryPresence implements PresenceStore {
  private bySocket = new Map<string, { contactId: number; viewer: Viewer }>();

  async view(socketId: string, viewer: Viewer, contactId: number | null): Promise<number[]> {
    const before = this.bySocket.get(socketId)?.contactId;
    if (contactId === null) this.bySocket.delete(socketId);
    else this.bySocket.set(socketId, { contactId, viewer: { agentId: viewer.agentId, name: viewer.name } });
    return [...new Set([before, contactId].filter((c): c is number => typeof c === 'number'))];
  }

  async leave(socketId: string): Promise<number[]> {
    return this.view(socketId, { agentId: '', name: '' }, null);
  }

  async viewers(contactId: number): Promise<Viewer[]> {
    const byAgent = new Map<string, Viewer>();
    for (const v of this.bySocket.values()) if (v.contactId === contactId) byAgent.set(v.viewer.agentId, v.viewer);
    return [...byAgent.values()];
  }
}
