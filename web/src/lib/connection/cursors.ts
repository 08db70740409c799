/**
 * The last eventId applied per workspace, kept for the tab's lifetime (sessionStorage: a reload
 * catches up from where it was; another tab keeps its own place).
 */
const key = (agentId: string) => `switchboard:events:${agentId}`;

export type Cursors = Record<string, number>;

export function loadCursors(agentId: string): Cursors {
  try {
    const raw = sessionStorage.getItem(key(agentId));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (!parsed || typeof parsed !== 'object') return {};
    const out: Cursors = {};
    for (const [ws, id] of Object.entries(parsed)) if (Number.isSafeInteger(id) && (id as number) >= 0) out[ws] = id as number;
    return out;
  } catch {
    return {};
  }
}

export function saveCursors(agentId: string, cursors: Cursors): void {
  try {
    sessionStorage.setItem(key(agentId), JSON.stringify(cursors));
  } catch {
    // Storage full or disabled: a reload then starts from the current state, which REST gives anyway.
  }
}
