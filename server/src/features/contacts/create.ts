import type { ContactDetail, CreateContactBody, ProfileField } from '@switchboard/shared';
import { fold } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { conflict, validation } from '../../lib/errors.ts';
import { changeBy, recordAudit, type Actor } from '../audit/service.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { publishContactChange } from './broadcast.ts';
import { loadContactDetail } from './detail.ts';
import { displayName, normalizePhone, normalizeProfile } from './profile.ts';

const optionalFields = ['firstName', 'lastName', 'email', 'gender', 'language', 'timezone', 'country'] as const satisfies readonly ProfileField[];

/** Creates an SMS or voice contact by hand; the E.164 phone is its channel user id. */
export async function createContact(db: Db, gateway: Gateway, workspaceId: number, actor: Actor, body: CreateContactBody): Promise<ContactDetail> {
  const issues: { path: string; message: string }[] = [];
  const phone = normalizePhone(body.phone, body.defaultCountry ?? body.country);
  if ('error' in phone) issues.push({ path: 'phone', message: phone.error });
  const profile: Partial<Record<ProfileField, string | null>> = {};
  for (const field of optionalFields) {
    const r = normalizeProfile(field, body[field]);
    if ('error' in r) issues.push({ path: field, message: r.error });
    else profile[field] = r.value;
  }
  if (issues.length || 'error' in phone) throw validation(issues);

  const outbox = gateway.outbox();
  const contact = await db.tx(async (tx, sql) => {
    const existing = await tx.contact.findUnique({
      where: { workspaceId_channel_channelUserId: { workspaceId, channel: body.channel, channelUserId: phone.value } },
      select: { id: true },
    });
    if (existing) {
      throw conflict(`A ${body.channel} contact with phone ${phone.value} already exists`, { path: 'phone', existingId: String(existing.id) });
    }
    const now = new Date();
    const created = await tx.contact.create({
      data: {
        workspaceId,
        channel: body.channel,
        channelUserId: phone.value,
        phone: phone.value,
        ...profile,
        nameKey: fold(displayName(profile.firstName ?? null, profile.lastName ?? null)),
        subscribedAt: now,
      },
    });
    await recordAudit(tx, {
      workspaceId,
      actor,
      contactId: created.id,
      action: 'contact.created',
      changes: { channel: body.channel, phone: phone.value, ...profile },
    });
    const detail = await loadContactDetail(sql, workspaceId, created.id);
    await publishContactChange(sql, outbox, workspaceId, null, detail, [{ path: 'contact', from: null, to: 'created' }], await changeBy(sql, actor));
    return detail;
  });
  gateway.publish(outbox);
  return contact;
}
