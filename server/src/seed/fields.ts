import type Database from 'better-sqlite3';
import type { Channel } from '@switchboard/shared';
import { fold } from '@switchboard/shared/filter/fold';
import { contactTimes, plans, signupSources, type FieldKey } from './catalog.ts';
import type { Person } from './person.ts';
import { Weighted, type Rng } from './rng.ts';
import type { Traits } from './traits.ts';

const DAY = 86_400_000;
const midnightUtc = (t: number) => Math.floor(t / DAY) * DAY;

const npsScores = new Weighted([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 1, 1, 1.5, 2, 3, 5, 9, 16, 22, 25]);
const contactTime = new Weighted(contactTimes, [0.3, 0.35, 0.35]);
const sourceByChannel: Record<Channel, Weighted<(typeof signupSources)[number]>> = Object.fromEntries(
  (['messenger', 'instagram', 'whatsapp', 'telegram', 'webchat', 'sms', 'voice'] as const).map((channel) => {
    const w: Record<string, number> = { facebook_ad: 1, instagram_ad: 1, google_search: 1, referral: 1, qr_code: 1, website_widget: 1, organic: 2 };
    if (channel === 'messenger') w.facebook_ad = 6;
    if (channel === 'instagram') w.instagram_ad = 7;
    if (channel === 'webchat') Object.assign(w, { website_widget: 6, google_search: 4 });
    if (channel === 'sms' || channel === 'voice') Object.assign(w, { qr_code: 4, referral: 3, facebook_ad: 0.2, instagram_ad: 0.2 });
    if (channel === 'whatsapp') Object.assign(w, { qr_code: 3, referral: 3 });
    return [channel, new Weighted(signupSources, signupSources.map((s) => w[s]!))];
  }),
) as Record<Channel, Weighted<(typeof signupSources)[number]>>;

export interface FieldContext {
  person: Person;
  traits: Traits;
  subscribedAt: number;
  updatedAt: number;
  now: number;
}

/**
 * Writes one contact's custom field values in the typed columns the filter compiler reads
 * (docs/DATA.md): text/select -> text + fold(text), number/boolean -> number, date/datetime ->
 * time (ms; a date is UTC midnight).
 */
export class FieldWriter {
  private readonly insert: Database.Statement;
  private contactId = 0;
  private updatedAt = 0;
  written = 0;

  constructor(db: Database.Database, private readonly ids: Record<FieldKey, number>) {
    this.insert = db.prepare(
      'INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  write(rng: Rng, contactId: number, c: FieldContext): void {
    this.contactId = contactId;
    this.updatedAt = c.updatedAt;
    const t = c.traits;

    if (rng.chance(0.96)) this.text('plan', plans[t.tier]!);
    if (rng.chance(0.9)) {
      const avgOrder = Math.exp(3.6 + 0.5 * rng.normal());
      this.number('lifetime_value', Math.round(t.orders * avgOrder * 100) / 100);
    }
    if (rng.chance(0.9)) this.number('order_count', t.orders);
    if (t.orders > 0 && rng.chance(0.95)) {
      this.time('last_order_at', c.subscribedAt + Math.floor((c.updatedAt - c.subscribedAt) * Math.sqrt(rng.next())));
    }
    if (t.hasCompany) this.text('company', c.person.company());
    if (rng.chance(0.8)) this.text('city', c.person.city.name);
    if (t.acceptsMarketing !== null) this.number('accepts_marketing', t.acceptsMarketing ? 1 : 0);
    if (rng.chance(0.55)) {
      const age = Math.min(80, Math.max(16, Math.round(34 + 11 * rng.normal())));
      const year = new Date(c.now).getUTCFullYear() - age;
      this.time('birthday', Date.UTC(year, 0, 1) + rng.int(365) * DAY);
    }
    if (rng.chance(0.4)) this.text('preferred_contact_time', contactTime.pick(rng));
    if (rng.chance(0.85)) this.text('signup_source', sourceByChannel[t.channel].pick(rng));
    if (t.gaveNps) this.number('nps_score', npsScores.pick(rng));
    if (t.tier > 0 && rng.chance(0.95)) this.time('renewal_date', midnightUtc(c.now + rng.range(1, 365) * DAY));
  }

  private text(key: FieldKey, value: string): void {
    this.insert.run(this.contactId, this.ids[key], value, fold(value), null, null, this.updatedAt);
    this.written++;
  }

  private number(key: FieldKey, value: number): void {
    this.insert.run(this.contactId, this.ids[key], null, null, value, null, this.updatedAt);
    this.written++;
  }

  private time(key: FieldKey, value: number): void {
    this.insert.run(this.contactId, this.ids[key], null, null, null, value, this.updatedAt);
    this.written++;
  }
}
