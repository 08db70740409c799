import type { Db } from '../../src/db/client.ts';
import { loadCatalogue } from '../../src/features/catalogue/service.ts';
import { storeValue } from '../../src/features/contacts/values.ts';

/** `n` messenger contacts in one transaction (prepared SQL: a thousand factory calls would be slow); their ids ascending. */
export async function manyContacts(db: Db, workspaceId: number, n: number): Promise<number[]> {
  const tag = `${workspaceId}-${Math.random().toString(36).slice(2)}`;
  return db.tx(async () => {
    const insert = db.conn.prepare(
      `INSERT INTO Contact (workspaceId, channel, channelUserId, firstName, lastName, nameKey, createdAt, updatedAt, version)
       VALUES (?, 'messenger', ?, ?, 'Bulk', ?, ?, ?, 1)`,
    );
    const ids: number[] = [];
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const first = `Person${i}`;
      ids.push(Number(insert.run(workspaceId, `many-${tag}-${i}`, first, `${first} bulk`.toLowerCase(), now, now).lastInsertRowid));
    }
    return ids;
  });
}

/** Tags a contact (creating the tag), as the side panel would. */
export async function tag(db: Db, workspaceId: number, contactId: number, name: string): Promise<void> {
  await db.tx(async () => {
    db.conn.prepare('INSERT OR IGNORE INTO Tag (workspaceId, name, createdAt) VALUES (?, ?, ?)').run(workspaceId, name, Date.now());
    const tagId = db.conn.prepare('SELECT id FROM Tag WHERE workspaceId = ? AND name = ?').pluck().safeIntegers(false).get(workspaceId, name);
    db.conn.prepare('INSERT OR IGNORE INTO ContactTag (contactId, tagId, createdAt) VALUES (?, ?, ?)').run(contactId, tagId, Date.now());
  });
}

/** Stores a custom field value the way docs/DATA.md says (through the same storeValue as the API). */
export async function setValue(db: Db, workspaceId: number, contactId: number, key: string, value: unknown): Promise<void> {
  const def = loadCatalogue(db, workspaceId).byKey.get(key);
  if (!def) throw new Error(`no field ${key}`);
  const stored = storeValue(def, value);
  if ('error' in stored) throw new Error(stored.error);
  await db.tx(async () => {
    db.conn
      .prepare(
        `INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (contactId, fieldId) DO UPDATE SET text = excluded.text, textKey = excluded.textKey, number = excluded.number, time = excluded.time`,
      )
      .run(contactId, def.id, stored.text, stored.textKey, stored.number, stored.time, Date.now());
  });
}
