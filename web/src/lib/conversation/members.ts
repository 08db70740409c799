import type { Member } from '@switchboard/shared';
import { conversationsApi } from '$lib/api/conversations';

const TTL_MS = 60_000;
const cache = new Map<string, { at: number; members: Promise<Member[]> }>();

/** The workspace's members for the assign menu; one request a minute however many conversations are opened. */
export function membersOf(workspaceId: string): Promise<Member[]> {
  const hit = cache.get(workspaceId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.members;
  const members = conversationsApi.members(workspaceId).then(
    (list) => [...list].sort((a, b) => a.name.localeCompare(b.name)),
    (error) => {
      cache.delete(workspaceId);
      throw error;
    },
  );
  cache.set(workspaceId, { at: Date.now(), members });
  return members;
}
