import { fold, profileFields, type ContactChange, type InboundMessageBody, type ProfileField } from '@switchboard/shared';
import type { Tx } from '../../db/client.ts';
import type { Sql, SqlValue } from '../../db/sql.ts';
import { validation } from '../../lib/errors.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { displayName, normalizePhone, normalizeProfile } from '../contacts/profile.ts';
import { CONTACT_COLUMNS, type ContactRow } from '../contacts/serialize.ts';

export type InboundProfile = Partial<Record<ProfileField, string>>;

export function findChannelContact(sql: Sql, workspaceId: number, channel: string, channelUserId: string): Promise<ContactRow | undefined> {
  return sql.get<ContactRow>(`SELECT ${CONTACT_COLUMNS} FROM Contact c WHERE c.workspaceId = ? AND c.channel = ? AND c.channelUserId = ?`, [
    workspaceId,
    channel,
    channelUserId,
  ]);
}

/**
 * Normalises the profile the way docs/DATA.md stores it; every bad value is reported at once as
 * `profile.<field>`. An empty value means "the channel does not know it" and is skipped: a
 * channel that sends `email: ""` must not wipe an address an agent typed in.
 */
export function normalizeInboundProfile(profile: InboundMessageBody['profile'], contactCountry: string | null | undefined): InboundProfile {
  const out: InboundProfile = {};
  const issues: { path: string; message: string }[] = [];
  // A phone written without its country code is read in the given country, else the contact's.
  const given = profile?.country ? normalizeProfile('country', profile.country) : undefined;
  const phoneCountry = (given && 'value' in given && given.value) || contactCountry || undefined;
  for (const field of profileFields) {
    const raw = profile?.[field];
    if (raw === undefined || raw.trim() === '') continue;
    const r = normalizeProfile(field, raw, phoneCountry);
    if ('error' in r) issues.push({ path: `profile.${field}`, message: r.error });
    else if (r.value !== null) out[field] = r.value;
  }
  if (issues.length) throw validation(issues);
  return out;
}

export interface ContactWrite {
  contactId: number;
  created: boolean;
  /** Profile changes as the side panel shows them (creation is one `contact` change). */
  changes: ContactChange[];
  /** Anything on the row changed (profile, or lastInteractionAt moved forward). */
  touched: boolean;
}

/**
 * Creates the contact or applies the given profile and the interaction time to it, with one
 * audit entry per change in the caller's transaction (`tx` and its `sql`). lastInteractionAt only
 * moves forward: a late-delivered old message does not make an active contact look idle.
 */
export async function writeInboundContact(
  tx: Tx,
  sql: Sql,
  p: { workspaceId: number; actor: Actor; existing: ContactRow | undefined; channel: string; channelUserId: string; profile: InboundProfile; at: number; now: number },
): Promise<ContactWrite> {
  const { workspaceId, actor, existing, profile, at, now } = p;
  if (!existing) {
    const values: InboundProfile = { ...profile };
    // SMS and voice contacts are identified by their number: it is their phone too.
    if ((p.channel === 'sms' || p.channel === 'voice') && !values.phone) {
      const phone = normalizePhone(p.channelUserId, values.country);
      if ('value' in phone) values.phone = phone.value;
    }
    // Column names come from the ProfileField enum, never from input; unquoted, so PostgreSQL
    // folds them like its schema's.
    const cols = profileFields.filter((f) => values[f] !== undefined);
    const contactId = (await sql.value<number>(
      `INSERT INTO Contact (workspaceId, channel, channelUserId, ${cols.map((c) => `${c}, `).join('')}nameKey, subscribedAt, lastInteractionAt, createdAt, updatedAt, version)
       VALUES (?, ?, ?, ${cols.map(() => '?, ').join('')}?, ?, ?, ?, ?, 1) RETURNING id`,
      [
        workspaceId,
        p.channel,
        p.channelUserId,
        ...cols.map((c) => values[c]!),
        fold(displayName(values.firstName ?? null, values.lastName ?? null)),
        new Date(now),
        new Date(at),
        new Date(now),
        new Date(now),
      ],
    ))!;
    await recordAudit(tx, {
      workspaceId,
      actor,
      contactId,
      action: 'contact.created',
      changes: { channel: p.channel, channelUserId: p.channelUserId, ...values },
    });
    return { contactId, created: true, changes: [{ path: 'contact', from: null, to: 'created' }], touched: true };
  }

  const changes: ContactChange[] = [];
  const next = { ...existing };
  for (const field of profileFields) {
    const value = profile[field];
    if (value === undefined || value === existing[field]) continue;
    changes.push({ path: field, from: existing[field], to: value });
    next[field] = value;
  }
  const moved = existing.lastInteractionAt === null || at > existing.lastInteractionAt;
  if (!changes.length && !moved) return { contactId: existing.id, created: false, changes, touched: false };

  // Column names come from the ProfileField enum, never from input. nameKey is written only when
  // the name changed: writing it fires the search index trigger, which would otherwise rewrite the
  // contact's search entry on every message.
  const sets = changes.map((c) => `${c.path} = ?`);
  const values: SqlValue[] = changes.map((c) => c.to as string);
  if (changes.some((c) => c.path === 'firstName' || c.path === 'lastName')) {
    sets.push('nameKey = ?');
    values.push(fold(displayName(next.firstName, next.lastName)));
  }
  const atTime = new Date(at);
  await sql.run(
    `UPDATE Contact SET ${sets.map((s) => `${s}, `).join('')}
     lastInteractionAt = CASE WHEN lastInteractionAt IS NULL OR lastInteractionAt < ? THEN ? ELSE lastInteractionAt END,
     version = version + 1, updatedAt = ? WHERE id = ?`,
    [...values, atTime, atTime, new Date(now), existing.id],
  );
  for (const c of changes) {
    await recordAudit(tx, { workspaceId, actor, contactId: existing.id, action: 'contact.profile_set', changes: { path: c.path, from: c.from, to: c.to } });
  }
  return { contactId: existing.id, created: false, changes, touched: true };
}
