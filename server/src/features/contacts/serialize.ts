import type { Channel, Contact, FieldValue } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import { placeholders } from '../../lib/sql.ts';
import type { Catalogue } from '../catalogue/service.ts';
import { displayName } from './profile.ts';
import { wireValue } from './values.ts';

export interface ContactRow {
  id: number;
  workspaceId: number;
  channel: string;
  channelUserId: string;
  firstName: string | null;
  lastName: string | null;
  nameKey: string;
  gender: string | null;
  language: string | null;
  timezone: string | null;
  avatarUrl: string | null;
  email: string | null;
  phone: string | null;
  country: string | null;
  subscribedAt: number | null;
  lastInteractionAt: number | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export const CONTACT_COLUMNS =
  'c.id, c.workspaceId, c.channel, c.channelUserId, c.firstName, c.lastName, c.nameKey, c.gender, c.language, c.timezone, c.avatarUrl, c.email, c.phone, c.country, c.subscribedAt, c.lastInteractionAt, c.createdAt, c.updatedAt, c.version';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// SQLite caps bound parameters; pages are ≤ 200 ids, bundles chunk anyway.
const CHUNK = 500;

/** Contact rows → wire contacts with tags and custom field values, in the rows' order. */
export async function serializeContacts(sql: Sql, catalogue: Catalogue, rows: ContactRow[]): Promise<Contact[]> {
  const tags = new Map<number, string[]>();
  const fields = new Map<number, Record<string, FieldValue>>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const ids = rows.slice(i, i + CHUNK).map((r) => r.id);
    const inList = placeholders(ids.length);
    const tagRows = await sql.all<{ contactId: number; name: string }>(
      `SELECT ct.contactId, t.name FROM ContactTag ct JOIN Tag t ON t.id = ct.tagId WHERE ct.contactId IN (${inList}) ORDER BY t.name`,
      ids,
    );
    for (const t of tagRows) (tags.get(t.contactId) ?? tags.set(t.contactId, []).get(t.contactId)!).push(t.name);
    const valueRows = await sql.all<{ contactId: number; fieldId: number; text: string | null; number: number | null; time: number | null }>(
      `SELECT contactId, fieldId, text, number, time FROM FieldValue WHERE contactId IN (${inList})`,
      ids,
    );
    for (const v of valueRows) {
      const def = catalogue.byId.get(v.fieldId);
      const value = def ? wireValue(def, v) : null;
      if (def && value !== null) (fields.get(v.contactId) ?? fields.set(v.contactId, {}).get(v.contactId)!)[def.key] = value;
    }
  }
  return rows.map((r) => contactOfRow(r, tags.get(r.id) ?? [], fields.get(r.id) ?? {}));
}

/** One row with its tags and field values as the wire contact. */
export function contactOfRow(r: ContactRow, tags: string[], fields: Record<string, FieldValue>): Contact {
  return {
    id: String(r.id),
    channel: r.channel as Channel,
    channelUserId: r.channelUserId,
    name: displayName(r.firstName, r.lastName),
    firstName: r.firstName,
    lastName: r.lastName,
    gender: r.gender,
    language: r.language,
    timezone: r.timezone,
    avatarUrl: r.avatarUrl,
    email: r.email,
    phone: r.phone,
    country: r.country,
    subscribedAt: iso(r.subscribedAt),
    lastInteractionAt: iso(r.lastInteractionAt),
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
    tags,
    fields,
    version: r.version,
  };
}

export function findContactRow(sql: Sql, workspaceId: number, contactId: number): Promise<ContactRow | undefined> {
  return sql.get<ContactRow>(`SELECT ${CONTACT_COLUMNS} FROM Contact c WHERE c.id = ? AND c.workspaceId = ?`, [contactId, workspaceId]);
}
