import { describe, expect, it } from 'vitest';
import { layoutSystemKeys, type Contact } from '@switchboard/shared';
import { contactFields, customFieldKey, fieldsByKey, formatValue, systemContactFields } from './registry';

const contact: Contact = {
  id: '1',
  channel: 'sms',
  channelUserId: '+14155550100',
  name: 'Ana Lima',
  firstName: 'Ana',
  lastName: 'Lima',
  gender: null,
  language: 'pt',
  timezone: 'America/Sao_Paulo',
  avatarUrl: 'https://cdn.example/a.png',
  email: 'ana@example.com',
  phone: '+14155550100',
  country: 'BR',
  subscribedAt: '2024-05-01T09:30:00.000Z',
  lastInteractionAt: null,
  createdAt: '2024-05-01T09:30:00.000Z',
  updatedAt: '2024-05-01T09:30:00.000Z',
  tags: ['vip', 'onboarded'],
  fields: { plan: 'gold', score: 1234.5, vip: true, born: '1990-01-31' },
  version: 1,
};

const custom = [
  { id: '2', key: 'score', label: 'Score', type: 'number' as const, position: 1 },
  { id: '1', key: 'plan', label: 'Plan', type: 'select' as const, options: ['free', 'gold'], position: 0 },
  { id: '3', key: 'vip', label: 'VIP', type: 'boolean' as const, position: 2 },
  { id: '4', key: 'born', label: 'Born', type: 'date' as const, position: 3 },
  { id: '5', key: 'note', label: 'Note', type: 'text' as const, position: 4 },
];

describe('field registry', () => {
  it('has every layout key of the contract, then custom fields by position', () => {
    expect(systemContactFields.map((f) => f.key)).toEqual([...layoutSystemKeys]);
    expect(contactFields(custom).slice(layoutSystemKeys.length).map((f) => f.key)).toEqual([
      'custom.plan',
      'custom.score',
      'custom.vip',
      'custom.born',
      'custom.note',
    ]);
    expect(customFieldKey('plan')).toBe('custom.plan');
  });

  it('reads and formats system values', () => {
    const byKey = fieldsByKey(contactFields(custom));
    expect(byKey.get('name')?.format(contact)).toBe('Ana Lima');
    expect(byKey.get('avatar')?.value(contact)).toBe('https://cdn.example/a.png');
    expect(byKey.get('tags')?.format(contact)).toBe('vip, onboarded');
    expect(byKey.get('gender')?.format(contact)).toBe('');
    expect(byKey.get('lastInteractionAt')?.value(contact)).toBeNull();
    expect(byKey.get('subscribedAt')?.format(contact)).toMatch(/2024/);
    expect(byKey.get('channel')?.options).toContain('sms');
  });

  it('reads and formats custom values by their type', () => {
    const byKey = fieldsByKey(contactFields(custom));
    expect(byKey.get('custom.plan')).toMatchObject({ label: 'Plan', type: 'enum', options: ['free', 'gold'] });
    expect(byKey.get('custom.plan')?.format(contact)).toBe('gold');
    expect(byKey.get('custom.vip')?.format(contact)).toBe('Yes');
    expect(byKey.get('custom.score')?.value(contact)).toBe(1234.5);
    expect(byKey.get('custom.note')?.format(contact)).toBe('');
    expect(byKey.get('custom.note')?.value(contact)).toBeNull();
  });

  it('shows a date field on its own day whatever the time zone', () => {
    expect(formatValue('date', '1990-01-31')).toMatch(/31/);
    expect(formatValue('boolean', false)).toBe('No');
    expect(formatValue('datetime', 'not a date')).toBe('not a date');
    expect(formatValue('text', null)).toBe('');
  });
});
