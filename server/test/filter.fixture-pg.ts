import pg from 'pg';
import { fold, type FieldCatalogue } from '@switchboard/shared/filter/index';
import { migratePostgres } from '../src/db/postgres.ts';
import { numberPlaceholders } from '../src/db/sql.ts';
import { customFields, planOptions, sequenceNames, tagNames, topicNames, type CustomKey, type GenContact } from './filter.fixture.ts';
import { createTestDatabase } from './support/postgres.ts';

/** The filter fixture's workspace on a fresh, migrated PostgreSQL database (async twin of openFilterDb). */
export interface PgFilterDb {
  workspaceId: number;
  fields: Record<string, { id: number; type: (typeof customFields)[CustomKey] }>;
  catalogue: FieldCatalogue;
  /** Replaces the workspace's contacts; returns their ids in the given order. */
  replaceContacts(contacts: GenContact[]): Promise<number[]>;
  /** Ids of the workspace's contacts matching a compiled WHERE (dialect 'postgres'), ascending. */
  select(where: string, params: (string | number)[]): Promise<number[]>;
  close(): Promise<void>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** One multi-row INSERT: `rows` of equal length, `$n` numbered across them. */
function insertMany(table: string, columns: string[], rows: unknown[][]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((r) => `(${r.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
  return { text: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values };
}

export async function openPgFilterDb(): Promise<PgFilterDb> {
  const database = await createTestDatabase();
  await migratePostgres(database.url);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const t0 = iso(Date.UTC(2024, 0, 1));
  const one = async (text: string, values: unknown[]) => Number((await client.query(text, values)).rows[0].id);

  const workspaceId = await one('INSERT INTO Workspace (name, createdAt, updatedAt) VALUES ($1, $2, $2) RETURNING id', ['Filters', t0]);
  const fields: PgFilterDb['fields'] = {};
  for (const [position, [key, type]] of Object.entries(customFields).entries()) {
    const options = type === 'select' ? JSON.stringify(planOptions) : null;
    const id = await one(
      'INSERT INTO CustomField (workspaceId, key, label, type, options, position, createdAt, updatedAt) VALUES ($1, $2, $2, $3, $4, $5, $6, $6) RETURNING id',
      [workspaceId, key, type, options, position, t0],
    );
    fields[key] = { id, type };
  }
  const named = async (table: string, names: string[]) => {
    const ids = new Map<string, number>();
    for (const n of names) ids.set(n, await one(`INSERT INTO ${table} (workspaceId, name, createdAt) VALUES ($1, $2, $3) RETURNING id`, [workspaceId, n, t0]));
    return ids;
  };
  const links = [
    { key: 'tags', table: 'ContactTag', fk: 'tagId', at: 'createdAt', ids: await named('Tag', tagNames) },
    { key: 'sequences', table: 'ContactSequence', fk: 'sequenceId', at: 'subscribedAt', ids: await named('Sequence', sequenceNames) },
    { key: 'otnTopics', table: 'ContactOtnTopic', fk: 'topicId', at: 'optedInAt', ids: await named('OtnTopic', topicNames) },
  ] as const;

  async function replaceContacts(contacts: GenContact[]): Promise<number[]> {
    await client.query('BEGIN');
    try {
      await client.query('DELETE FROM Contact WHERE workspaceId = $1', [workspaceId]);
      if (!contacts.length) return (await client.query('COMMIT'), []);
      // Ids taken first, so each generated contact knows its own (a multi-row RETURNING has no order).
      const ids = (await client.query("SELECT nextval(pg_get_serial_sequence('contact', 'id')) AS id FROM generate_series(1, $1)", [contacts.length])).rows.map((r) => Number(r.id));
      const contactRows: unknown[][] = [];
      const valueRows: unknown[][] = [];
      const linkRows = links.map(() => [] as unknown[][]);
      contacts.forEach(({ contact: c, stored }, i) => {
        const id = ids[i]!;
        const createdAt = c.createdAt;
        contactRows.push([id, workspaceId, c.channel, c.channelUserId, c.firstName, c.lastName, fold(`${c.firstName ?? ''} ${c.lastName ?? ''}`.trim()),
          c.gender, c.language, c.timezone, c.email, c.phone, c.country, c.subscribedAt, c.lastInteractionAt, createdAt, createdAt, 1]);
        for (const [key, value] of Object.entries(stored) as [CustomKey, string | number][]) {
          const text = typeof value === 'string' ? value : null;
          const isTime = customFields[key] === 'date' || customFields[key] === 'datetime';
          valueRows.push([id, fields[key]!.id, text, text === null ? null : fold(text), isTime || text !== null ? null : value, isTime ? iso(value as number) : null, createdAt]);
        }
        links.forEach((l, k) => {
          for (const name of c[l.key]) linkRows[k]!.push([id, l.ids.get(name)!, createdAt]);
        });
      });
      const run = async (q: { text: string; values: unknown[] }) => void (await client.query(q.text, q.values));
      await run(insertMany('Contact', ['id', 'workspaceId', 'channel', 'channelUserId', 'firstName', 'lastName', 'nameKey', 'gender', 'language',
        'timezone', 'email', 'phone', 'country', 'subscribedAt', 'lastInteractionAt', 'createdAt', 'updatedAt', 'version'], contactRows));
      if (valueRows.length) await run(insertMany('FieldValue', ['contactId', 'fieldId', 'text', 'textKey', 'number', 'time', 'updatedAt'], valueRows));
      for (const [k, l] of links.entries()) if (linkRows[k]!.length) await run(insertMany(l.table, ['contactId', l.fk, l.at], linkRows[k]!));
      await client.query('COMMIT');
      return ids;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    }
  }

  return {
    workspaceId,
    fields,
    catalogue: { custom: Object.fromEntries(Object.entries(customFields).map(([k, type]) => [k, { type }])) },
    replaceContacts,
    select: async (where, params) =>
      (await client.query(numberPlaceholders(`SELECT id FROM Contact c WHERE c.workspaceId = ? AND (${where}) ORDER BY id`), [workspaceId, ...params])).rows.map((r) =>
        Number(r.id),
      ),
    close: async () => {
      await client.end();
      await database.drop();
    },
  };
}
