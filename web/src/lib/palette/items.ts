import Fuse from 'fuse.js';
import type { Contact, Conversation, Segment, Tag } from '@switchboard/shared';

export const paletteGroups = ['Conversations', 'Contacts', 'Segments', 'Tags', 'Actions'] as const;
export type PaletteGroup = (typeof paletteGroups)[number];

/** Shortcut-backed actions the palette can run on the open conversation. */
export type PaletteAction = 'resolve' | 'assignMe';

export interface PaletteItem {
  id: string;
  group: PaletteGroup;
  title: string;
  /** Shown beside the title; searched only when `keywords` say so. */
  subtitle?: string;
  /** More text to match besides the title (a conversation's preview). */
  keywords?: string;
  /** Where choosing it goes… */
  href?: string;
  /** …or what it runs. */
  action?: PaletteAction;
}

/** Links of the console, built by the caller (it knows the routes); plain functions keep this testable. */
export interface PaletteLinks {
  conversation(id: string): string;
  contact(id: string): string;
  segmentInbox(id: string): string;
  tagContacts(name: string): string;
  section(slug: 'inbox' | 'contacts' | 'segments' | 'jobs' | 'settings'): string;
}

export interface PaletteSources {
  conversations: readonly Conversation[];
  contacts: readonly Contact[];
  segments: readonly Segment[];
  tags: readonly Tag[];
  /** Actions somebody answers right now (a conversation is open). */
  actions: readonly PaletteAction[];
}

const sections = [
  ['inbox', 'Go to inbox'],
  ['contacts', 'Go to contacts'],
  ['segments', 'Go to segments'],
  ['jobs', 'Go to jobs'],
  ['settings', 'Go to settings'],
] as const;

const actionTitles: Record<PaletteAction, string> = { resolve: 'Resolve or reopen conversation', assignMe: 'Assign conversation to me' };

export function buildItems(src: PaletteSources, links: PaletteLinks): PaletteItem[] {
  return [
    ...src.conversations.map((c) => ({
      id: `conversation:${c.id}`,
      group: 'Conversations' as const,
      title: c.contact.name || 'Unnamed contact',
      subtitle: c.preview,
      keywords: c.preview,
      href: links.conversation(c.id),
    })),
    ...src.contacts.map((c) => ({
      id: `contact:${c.id}`,
      group: 'Contacts' as const,
      title: c.name || 'Unnamed contact',
      subtitle: c.email ?? c.phone ?? c.channel,
      keywords: [c.email, c.phone].filter(Boolean).join(' '),
      href: links.contact(c.id),
    })),
    ...src.segments.map((s) => ({
      id: `segment:${s.id}`,
      group: 'Segments' as const,
      title: s.name,
      subtitle: 'Inbox for this segment',
      href: links.segmentInbox(s.id),
    })),
    ...src.tags.map((t) => ({
      id: `tag:${t.id}`,
      group: 'Tags' as const,
      title: t.name,
      subtitle: 'Contacts with this tag',
      href: links.tagContacts(t.name),
    })),
    ...src.actions.map((a) => ({ id: `action:${a}`, group: 'Actions' as const, title: actionTitles[a], action: a })),
    ...sections.map(([slug, title]) => ({ id: `go:${slug}`, group: 'Actions' as const, title, href: links.section(slug) })),
  ];
}

const PER_GROUP = 6;
/** Where server-found contacts rank among local matches (0 = perfect, 1 = none): they did match, somehow. */
const CONTACT_SCORE = 0.35;
const KEYWORD_PENALTY = 0.15;

/**
 * The items for a query, best match first, grouped: groups in the order of their best match, a few
 * items each. Contacts were found by the server (`GET /contacts?q=`) and are kept even when the fuzzy
 * match here misses them. With no query: the actions, then the first conversations of the list.
 */
export function searchItems(items: readonly PaletteItem[], query: string): PaletteItem[] {
  const q = query.trim();
  if (!q) {
    const local = items.filter((i) => i.group !== 'Contacts');
    return [...local.filter((i) => i.group === 'Actions'), ...local.filter((i) => i.group === 'Conversations').slice(0, PER_GROUP)];
  }
  // Names match loosely (typos); previews strictly, and below a name: "vip" should not find every "you".
  const common = { ignoreLocation: true, ignoreDiacritics: true, includeScore: true };
  // A few letters match almost anything fuzzily: short queries must match closely.
  const byTitle = new Fuse(items, { ...common, keys: ['title'], threshold: q.length <= 3 ? 0.15 : 0.4 });
  const byKeywords = new Fuse(items, { ...common, keys: ['keywords'], threshold: 0.2, ignoreFieldNorm: true });
  const scored = new Map<PaletteItem, number>();
  const take = (item: PaletteItem, score: number) => scored.set(item, Math.min(scored.get(item) ?? 1, score));
  for (const r of byTitle.search(q)) take(r.item, r.score ?? 1);
  for (const r of byKeywords.search(q)) take(r.item, (r.score ?? 1) + KEYWORD_PENALTY);
  for (const i of items) if (i.group === 'Contacts' && !scored.has(i)) scored.set(i, CONTACT_SCORE);
  const best = new Map<PaletteGroup, number>();
  for (const [item, score] of scored) best.set(item.group, Math.min(best.get(item.group) ?? 1, score));
  const groups = [...best.keys()].sort((a, b) => best.get(a)! - best.get(b)! || paletteGroups.indexOf(a) - paletteGroups.indexOf(b));
  const ranked = [...scored].sort((a, b) => a[1] - b[1]).map(([item]) => item);
  return groups.flatMap((g) => ranked.filter((i) => i.group === g).slice(0, PER_GROUP));
}
