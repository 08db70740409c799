import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FieldType } from '@switchboard/shared';
import { fold, type FieldCatalogue, type FilterContact } from '@switchboard/shared/filter/index';
import { openDb, type Db } from '../src/db/client.ts';

/** A workspace on a temp migrated SQLite file, with custom fields of every type and catalogues. */
export const customFields = {
  nickname: 'text',
  plan: 'select',
  score: 'number',
  vip: 'boolean',
  birthday: 'date',
  lastorder: 'datetime',
} as const satisfies Record<string, FieldType>;
export type CustomKey = keyof typeof customFields;

export const planOptions = ['Gold', 'silver', 'BRONZE', 'Ünïcode plan'];
// Case variants on purpose: both exist as distinct rows and fold to the same name.
export const tagNames = ['VIP', 'vip', 'Straße', 'STRASSE', 'Ölaf-fan', '😀', 'new', "x' OR 1=1 --"];
export const sequenceNames = ['Onboarding', 'ONBOARDING', 'Émile drip', 'Win-back'];
export const topicNames = ['Price drop', 'Back in stock', 'ÉTÉ sale'];

/** A contact as generated: wire-shaped for the evaluator, written per docs/DATA.md for SQL. */
export interface GenContact {
  contact: FilterContact;
  /** Custom values in their stored form (ms for date/datetime, 1/0 for boolean). */
  stored: Partial<Record<CustomKey, string | number>>;
}

export interface FilterDb {
  db: Db;
  workspaceId: number;
  fields: Record<string, { id: number; type: FieldType }>;
  catalogue: FieldCatalogue;
  /** Replaces the workspace's contacts; returns their ids in order. */
  replaceContacts(contacts: GenContact[]): number[];
  /** Ids of the workspace's contacts matching a compiled WHERE, ascending. */
  select(where: string, params: (string | number)[]): number[];
  close(): Promise<void>;
}

export async function openFilterDb(): Promise<FilterDb> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-filter-'));
  const db = await openDb(`file:${join(dir, 'test.db')}`);
  const conn = db.conn;
  const t0 = Date.UTC(2024, 0, 1);
  const insertId = (sql: string, ...args: unknown[]) => Number(conn.prepare(sql).run(...args).lastInsertRowid);

  const workspaceId = insertId('INSERT INTO Workspace (name, createdAt, updatedAt) VALUES (?, ?, ?)', 'Filters', t0, t0);
  const fields: FilterDb['fields'] = {};
  for (const [position, [key, type]] of Object.entries(customFields).entries()) {
    const options = type === 'select' ? JSON.stringify(planOptions) : null;
    const id = insertId(
      'INSERT INTO CustomField (workspaceId, key, label, type, options, position, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      workspaceId, key, key, type, options, position, t0, t0,
    );
    fields[key] = { id, type };
  }
  const named = (table: string, names: string[]) =>
    new Map(names.map((n) => [n, insertId(`INSERT INTO ${table} (workspaceId, name, createdAt) VALUES (?, ?, ?)`, workspaceId, n, t0)]));
  const tagIds = named('Tag', tagNames);
  const sequenceIds = named('Sequence', sequenceNames);
  const topicIds = named('OtnTopic', topicNames);

  const insertContact = conn.prepare(`INSERT INTO Contact (workspaceId, channel, channelUserId, firstName, lastName, nameKey,
    gender, language, timezone, email, phone, country, subscribedAt, lastInteractionAt, createdAt, updatedAt, version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`);
  const insertValue = conn.prepare(
    'INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const link = (table: string, fk: string, at: string) =>
    conn.prepare(`INSERT INTO ${table} (contactId, ${fk}, ${at}) VALUES (?, ?, ?)`);
  const links = [
    { key: 'tags', ids: tagIds, stmt: link('ContactTag', 'tagId', 'createdAt') },
    { key: 'sequences', ids: sequenceIds, stmt: link('ContactSequence', 'sequenceId', 'subscribedAt') },
    { key: 'otnTopics', ids: topicIds, stmt: link('ContactOtnTopic', 'topicId', 'optedInAt') },
  ] as const;
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

  const replaceContacts = conn.transaction((contacts: GenContact[]): number[] => {
    conn.prepare('DELETE FROM Contact WHERE workspaceId = ?').run(workspaceId);
    return contacts.map(({ contact: c, stored }) => {
      const nameKey = fold(`${c.firstName ?? ''} ${c.lastName ?? ''}`.trim());
      const createdAt = ms(c.createdAt)!;
      const id = Number(
        insertContact.run(workspaceId, c.channel, c.channelUserId, c.firstName, c.lastName, nameKey, c.gender, c.language,
          c.timezone, c.email, c.phone, c.country, ms(c.subscribedAt), ms(c.lastInteractionAt), createdAt, createdAt).lastInsertRowid,
      );
      for (const [key, value] of Object.entries(stored) as [CustomKey, string | number][]) {
        const text = typeof value === 'string' ? value : null;
        const isTime = customFields[key] === 'date' || customFields[key] === 'datetime';
        insertValue.run(id, fields[key]!.id, text, text === null ? null : fold(text), isTime || text !== null ? null : value,
          isTime ? value : null, createdAt);
      }
      for (const l of links) for (const name of c[l.key]) l.stmt.run(id, l.ids.get(name)!, createdAt);
      return id;
    });
  });

  return {
    db,
    workspaceId,
    fields,
    catalogue: { custom: Object.fromEntries(Object.entries(customFields).map(([k, type]) => [k, { type }])) },
    replaceContacts,
    select: (where, params) =>
      (conn.prepare(`SELECT id FROM Contact c WHERE c.workspaceId = ? AND (${where}) ORDER BY id`).safeIntegers(false)
        .pluck().all(workspaceId, ...params) as number[]),
    close: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
