import type { IdSummary } from '@switchboard/shared';
import type { Db } from '../../src/db/client.ts';
import { loadCatalogue } from '../../src/features/catalogue/service.ts';
import { storeValue } from '../../src/features/contacts/values.ts';

/** `n` messenger contacts in one transaction (raw SQL: a thousand factory calls would be slow); their ids ascending. */
export async function manyContacts(db: Db, workspaceId: number, n: number): Promise<number[]> {
  const tag = `${workspaceId}-${Math.random().toString(36).slice(2)}`;
  return db.tx(async (_tx, sql) => {
    const ids: number[] = [];
    const now = new Date();
    for (let i = 0; i < n; i++) {
      const first = `Person${i}`;
      const id = await sql.value<number>(
        `INSERT INTO Contact (workspaceId, channel, channelUserId, firstName, lastName, nameKey, createdAt, updatedAt, version)
         VALUES (?, 'messenger', ?, ?, 'Bulk', ?, ?, ?, 1) RETURNING id`,
        [workspaceId, `many-${tag}-${i}`, first, `${first} bulk`.toLowerCase(), now, now],
      );
      ids.push(id!);
    }
    return ids;
  });
}

/** Tags a contact (creating the tag), as the side panel would. */
export async function tag(db: Db, workspaceId: number, contactId: number, name: string): Promise<void> {
  await db.tx(async (_tx, sql) => {
    await sql.run('INSERT INTO Tag (workspaceId, name, createdAt) VALUES (?, ?, ?) ON CONFLICT (workspaceId, name) DO NOTHING', [workspaceId, name, new Date()]);
    const tagId = (await sql.value<number>('SELECT id FROM Tag WHERE workspaceId = ? AND name = ?', [workspaceId, name]))!;
    await sql.run('INSERT INTO ContactTag (contactId, tagId, createdAt) VALUES (?, ?, ?) ON CONFLICT (contactId, tagId) DO NOTHING', [contactId, tagId, new Date()]);
  });
}

/** Stores a custom field value the way docs/DATA.md says (through the same storeValue as the API). */
export async function setValue(db: Db, workspaceId: number, contactId: number, key: string, value: unknown): Promise<void> {
  const def = (await loadCatalogue(db.sql, workspaceId)).byKey.get(key);
  if (!def) throw new Error(`no field ${key}`);
  const stored = storeValue(def, value);
  if ('error' in stored) throw new Error(stored.error);
  await db.tx(async (_tx, sql) => {
    await sql.run(
      `INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (contactId, fieldId) DO UPDATE SET text = excluded.text, textKey = excluded.textKey, number = excluded.number, time = excluded.time`,
      [contactId, def.id, stored.text, stored.textKey, stored.number, stored.time === null ? null : new Date(stored.time), new Date()],
    );
  });
}

/** Every contact id a `contacts:changed` summary covers, listed ids and ranges alike, ascending. */
export function summarised(s: IdSummary): number[] {
  const ids = s.contactIds.map(Number);
  for (const [a, b] of s.ranges ?? []) for (let id = Number(a); id <= Number(b); id++) ids.push(id);
  return ids.sort((x, y) => x - y);
}
