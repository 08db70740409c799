import type Database from 'better-sqlite3';
import { dialoguesFor } from './dialogues.ts';
import { Rng, Weighted } from './rng.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface ConversationIds {
  workspaceId: number;
  /** In demoLogins order: admin, lead, supervisor, agent. */
  agentIds: number[];
  agentNames: string[];
}

interface Candidate {
  id: number;
  channel: string;
  firstName: string | null;
  language: string | null;
  subscribedAt: number;
  lastInteractionAt: number;
}

type Status = 'open' | 'pending' | 'resolved';
// Fresh conversations are mostly still open; week-old ones mostly resolved.
const statusByAge: [maxAge: number, picker: Weighted<Status>][] = [
  [DAY, new Weighted<Status>(['open', 'pending', 'resolved'], [0.6, 0.25, 0.15])],
  [7 * DAY, new Weighted<Status>(['open', 'pending', 'resolved'], [0.25, 0.25, 0.5])],
  [Infinity, new Weighted<Status>(['open', 'pending', 'resolved'], [0.05, 0.1, 0.85])],
];
const assignedShare: Record<Status, number> = { open: 0.55, pending: 0.9, resolved: 0.95 };
const codes = ['SPRING15', 'FREESHIP', 'VIP20', 'SUMMER10', 'HELLO5'];

/**
 * Conversations on the contacts who wrote most recently. Each one's last inbound message is
 * at the contact's lastInteractionAt, earlier messages go back from there, and a final agent
 * reply follows it; so lastInteractionAt >= the last inbound message holds by construction.
 */
export function seedConversations(
  db: Database.Database,
  ids: ConversationIds,
  o: { count: number; seed: number; now: number },
): { conversations: number; messages: number } {
  const rng = new Rng(o.seed);
  const candidates = db
    .prepare(`SELECT id, channel, firstName, language, subscribedAt, lastInteractionAt FROM Contact
      WHERE workspaceId = ? AND lastInteractionAt IS NOT NULL ORDER BY lastInteractionAt DESC, id DESC LIMIT ?`)
    .all(ids.workspaceId, o.count * 3) as Candidate[];
  const count = Math.min(o.count, candidates.length);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(candidates.length - i);
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
  }
  const chosen = candidates.slice(0, count).sort((a, b) => a.lastInteractionAt - b.lastInteractionAt || a.id - b.id);

  const insertConversation = db.prepare(`INSERT INTO Conversation (workspaceId, contactId, channel, status, assigneeId,
    lastMessageAt, preview, unreadCount, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertMessage = db.prepare(`INSERT INTO Message (workspaceId, conversationId, contactId, direction, authorKind,
    agentId, body, externalId, deliveryStatus, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const assignee = new Weighted(ids.agentIds, [0.15, 0.2, 0.2, 0.45]);
  const hex = () => rng.u32().toString(16).padStart(8, '0') + rng.u32().toString(16).padStart(8, '0');
  let messages = 0;

  db.transaction(() => {
    for (const c of chosen) {
      const L = c.lastInteractionAt;
      const status = statusByAge.find(([maxAge]) => o.now - L < maxAge)![1].pick(rng);
      const { language, dialogues } = dialoguesFor(c.language);
      const dialogue = rng.pick(dialogues);
      // Open conversations wait on the agent (end inbound); the others end with a reply.
      const parity = status === 'open' ? 1 : 0;
      let n = 2 * rng.range(1, 6) - 1 + (1 - parity); // 3..11 odd or 2..12 even
      while (n > dialogue.length) n -= 2;
      if (n < 2) n = parity ? 3 : 2;

      const times = new Array<number>(n);
      const lastIn = status === 'open' ? n - 1 : n - 2;
      times[lastIn] = L;
      for (let i = lastIn - 1; i >= 0; i--) {
        // Gap before message i+1: agents answer in minutes, contacts take longer.
        const gap = i % 2 === 0 ? rng.range(30_000, 20 * MINUTE) : Math.floor(rng.exp(25 * MINUTE)) + MINUTE;
        times[i] = times[i + 1]! - gap;
      }
      if (times[0]! < c.subscribedAt) {
        const scale = (L - c.subscribedAt) / (L - times[0]!);
        for (let i = 0; i < lastIn; i++) times[i] = L - Math.floor((L - times[i]!) * scale);
      }
      if (lastIn < n - 1) times[n - 1] = Math.min(o.now, L + rng.range(30_000, 20 * MINUTE));

      const agentId = rng.chance(assignedShare[status]) ? assignee.pick(rng) : null;
      const replier = agentId ?? assignee.pick(rng);
      const agentName = ids.agentNames[ids.agentIds.indexOf(replier)]!.split(' ')[0]!;
      const lastAt = times[n - 1]!;
      const order = `#${rng.range(100_000, 999_999)}`;
      const code = rng.pick(codes);
      const date = new Date(lastAt + rng.range(2, 5) * DAY).toLocaleDateString(language, {
        weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC',
      });
      // Without a name "Hi {first}, this is…" becomes "Hi, this is…".
      const bodies = dialogue.slice(0, n).map((line) =>
        (c.firstName ? line.replaceAll('{first}', c.firstName) : line.replace(/,? \{first\}/g, ''))
          .replaceAll('{agent}', agentName)
          .replaceAll('{order}', order)
          .replaceAll('{code}', code)
          .replaceAll('{date}', date),
      );
      const unread = status === 'open' ? 1 : 0;
      const conversationId = Number(
        insertConversation.run(ids.workspaceId, c.id, c.channel, status, agentId, lastAt, bodies[n - 1]!.slice(0, 140),
          unread, times[0], lastAt).lastInsertRowid,
      );
      for (let i = 0; i < n; i++) {
        const inbound = i % 2 === 0;
        const delivery = inbound ? null : i === n - 1 && o.now - lastAt < HOUR ? 'sent' : rng.chance(0.01) ? 'failed' : 'delivered';
        insertMessage.run(ids.workspaceId, conversationId, c.id, inbound ? 'in' : 'out', inbound ? 'contact' : 'agent',
          inbound ? null : replier, bodies[i], inbound ? `m_${hex()}` : `seed-${conversationId}-${i}`, delivery, times[i]);
      }
      messages += n;
    }
  })();
  return { conversations: count, messages };
}
