import { describe, expect, it } from 'vitest';
import type { Contact, Conversation, Segment, Tag } from '@switchboard/shared';
import { buildItems, searchItems, type PaletteLinks } from './items';

const links: PaletteLinks = {
  conversation: (id) => `/c/${id}`,
  contact: (id) => `/p/${id}`,
  segmentInbox: (id) => `/inbox?segment=${id}`,
  tagContacts: (name) => `/contacts?tag=${name}`,
  section: (slug) => `/${slug}`,
};
const conv = (id: string, name: string, preview = ''): Conversation =>
  ({ id, contact: { id: `c${id}`, name, avatarUrl: null, channelUserId: 'x' }, preview }) as Conversation;
const segment = (id: string, name: string) => ({ id, name }) as Segment;
const tag = (id: string, name: string) => ({ id, name }) as Tag;
const contact = (id: string, name: string) => ({ id, name, email: `${name}@x.co`, phone: null, channel: 'sms' }) as unknown as Contact;

// Contacts are what the server found for the query typed: only the `vip` search returned one here.
const sources = {
  conversations: [conv('1', 'Ann Lee', 'Where is my order?'), conv('2', 'Bob Stone', 'Thank you!')],
  contacts: [],
  segments: [segment('4', 'VIP'), segment('5', 'Spanish speakers')],
  tags: [tag('7', 'vip'), tag('8', 'trial')],
  actions: ['resolve', 'assignMe'] as const,
};
const items = buildItems(sources, links);
const withContact = buildItems({ ...sources, contacts: [contact('9', 'Zed')] }, links);

describe('command palette', () => {
  it('offers actions and recent conversations before anything is typed', () => {
    const shown = searchItems(withContact, '');
    expect(shown[0]).toMatchObject({ group: 'Actions', action: 'resolve' });
    expect(shown.map((i) => i.title)).toContain('Go to settings');
    expect(shown.filter((i) => i.group === 'Conversations')).toHaveLength(2);
    expect(shown.some((i) => i.group === 'Contacts')).toBe(false);
  });

  it('finds conversations, segments, tags and actions fuzzily, the best group first', () => {
    const vip = searchItems(withContact, 'vip');
    expect(vip.map((i) => `${i.group}:${i.title}`)).toEqual(['Segments:VIP', 'Tags:vip', 'Contacts:Zed']);
    expect(vip[0]!.href).toBe('/inbox?segment=4');
    expect(searchItems(items, 'order')[0]).toMatchObject({ group: 'Conversations', href: '/c/1' });
    expect(searchItems(items, 'asign me')[0]).toMatchObject({ action: 'assignMe' });
    expect(searchItems(items, 'go contacts')[0]).toMatchObject({ href: '/contacts' });
    expect(searchItems(items, 'settngs')[0]).toMatchObject({ href: '/settings' });
  });

  it('does not match descriptive subtitles, only names and previews', () => {
    expect(searchItems(items, 'with this tag').some((i) => i.group === 'Tags')).toBe(false);
    // Three letters: close matches only ("Bob Stone" said "Thank you!", nothing like "vip").
    expect(searchItems(items, 'vip').every((i) => i.title.toLowerCase() === 'vip')).toBe(true);
  });
});
