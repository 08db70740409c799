import type { FieldCatalogue, FilterContact } from '../src/filter/index.ts';

export const catalogue: FieldCatalogue = {
  custom: {
    nickname: { type: 'text' },
    plan: { type: 'select', options: ['Gold', 'Silver'] },
    score: { type: 'number' },
    vip: { type: 'boolean' },
    birthday: { type: 'date' },
    lastorder: { type: 'datetime' },
  },
};

export const NOW = Date.parse('2025-06-15T13:37:42.123Z');

export function contact(over: Partial<FilterContact> = {}): FilterContact {
  return {
    channel: 'messenger',
    channelUserId: 'PSID-1',
    firstName: null,
    lastName: null,
    email: null,
    phone: null,
    gender: null,
    language: null,
    timezone: null,
    country: null,
    subscribedAt: null,
    lastInteractionAt: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    tags: [],
    sequences: [],
    otnTopics: [],
    fields: {},
    ...over,
  };
}
