import type Database from 'better-sqlite3';
import type { Channel } from '@switchboard/shared';
import { fold } from '@switchboard/shared/filter/fold';
import { contactTimes, plans, signupSources, type FieldDef, type FieldKey } from './catalog.ts';
import type { Person } from './person.ts';
import { Rng, Weighted } from './rng.ts';
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

const categories = ['electronics', 'fashion', 'home', 'beauty', 'sports', 'books', 'toys', 'grocery'] as const;
const stores = ['online', 'downtown', 'mall', 'airport', 'outlet'] as const;
const managers = [
  'Maya Chen', 'Jonas Weber', 'Lucía Romero', 'Omar Haddad', 'Priya Nair', 'Tom Becker',
  'Chloé Martin', 'Kenji Sato', 'Ana Souza', 'Liam Walsh', 'Sofia Rossi', 'Noah Fischer',
] as const;

/**
 * Optional custom fields beyond the default twelve (`seedDemo({ extraFields: n })`, `--extra-fields n`
 * takes the first n), for benchmarks that want a wider catalogue. Mixed types, each on a realistic
 * share of contacts and drawn from the same traits as the rest. Off by default, so the default
 * output is unchanged; when on, they come from a stream of their own, so the other rows are the
 * same with or without them.
 */
export const extraFieldDefs = [
  { key: 'loyalty_points', label: 'Loyalty points', type: 'number' },
  { key: 'favorite_category', label: 'Favourite category', type: 'select', options: categories },
  { key: 'sms_opt_in', label: 'SMS opt-in', type: 'boolean' },
  { key: 'last_survey_at', label: 'Last survey', type: 'datetime' },
  { key: 'referral_code', label: 'Referral code', type: 'text' },
  { key: 'support_tickets', label: 'Support tickets', type: 'number' },
  { key: 'trial_ends_on', label: 'Trial ends', type: 'date' },
  { key: 'account_manager', label: 'Account manager', type: 'text' },
  { key: 'email_verified', label: 'E-mail verified', type: 'boolean' },
  { key: 'first_order_on', label: 'First order', type: 'date' },
  { key: 'preferred_store', label: 'Preferred store', type: 'select', options: stores },
  { key: 'household_size', label: 'Household size', type: 'number' },
] as const satisfies readonly FieldDef[];

export type ExtraFieldKey = (typeof extraFieldDefs)[number]['key'];

const categoryPick = new Weighted(categories, [30, 22, 15, 11, 9, 6, 4, 3]);
const storePick = new Weighted(stores, [50, 18, 15, 5, 12]);
const managerPick = new Weighted(managers, managers.map((_, i) => 1 / (i + 1)));
const householdPick = new Weighted([1, 2, 3, 4, 5, 6], [28, 34, 16, 14, 6, 2]);
const CODE = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

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
  /** Extra fields present in `ids` (the catalogue inserted them), and their own random stream. */
  private readonly extras: Set<string>;
  private extraRng: Rng | undefined;
  written = 0;

  constructor(db: Database.Database, private readonly ids: Record<FieldKey, number>) {
    this.insert = db.prepare(
      'INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.extras = new Set(extraFieldDefs.map((d) => d.key).filter((k) => k in ids));
  }

  write(rng: Rng, contactId: number, c: FieldContext): void {
    this.contactId = contactId;
    this.updatedAt = c.updatedAt;
    const t = c.traits;
    if (this.extras.size) {
      // Keyed from a copy of the main stream's state at the first contact (so it follows the
      // seed) without drawing from it: the default fields stay exactly as without extras.
      this.extraRng ??= new Rng(Object.assign(Object.create(Rng.prototype) as Rng, rng).u32() ^ 0x0e7a_f1e1);
      this.writeExtras(this.extraRng, c);
    }

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

  private writeExtras(rng: Rng, c: FieldContext): void {
    const t = c.traits;
    const on = (key: ExtraFieldKey) => this.extras.has(key);
    if (on('loyalty_points') && (t.tier > 0 ? rng.chance(0.92) : rng.chance(0.35))) {
      this.number('loyalty_points', Math.round(t.orders * 40 * Math.exp(0.6 * rng.normal()) + rng.int(200)));
    }
    if (on('favorite_category') && rng.chance(t.orders > 0 ? 0.7 : 0.3)) this.text('favorite_category', categoryPick.pick(rng));
    if (on('sms_opt_in') && rng.chance(0.7)) {
      const p = t.channel === 'sms' ? 0.8 : t.acceptsMarketing ? 0.55 : 0.15;
      this.number('sms_opt_in', rng.chance(p) ? 1 : 0);
    }
    if (on('last_survey_at') && t.gaveNps && rng.chance(0.9)) {
      this.time('last_survey_at', c.subscribedAt + Math.floor((c.updatedAt - c.subscribedAt) * rng.next() ** 0.5));
    }
    if (on('referral_code') && rng.chance(t.tier > 0 ? 0.45 : 0.12)) {
      let code = 'REF-';
      for (let i = 0; i < 6; i++) code += CODE[rng.int(CODE.length)];
      this.text('referral_code', code);
    }
    if (on('support_tickets') && rng.chance(0.45)) this.number('support_tickets', Math.floor(rng.exp(1.8)));
    if (on('trial_ends_on') && t.tier === 0 && rng.chance(0.18)) {
      this.time('trial_ends_on', midnightUtc(c.now + rng.range(-60, 30) * DAY));
    }
    if (on('account_manager') && t.hasCompany && rng.chance(0.55)) this.text('account_manager', managerPick.pick(rng));
    if (on('email_verified') && c.person.email !== null) this.number('email_verified', rng.chance(0.82) ? 1 : 0);
    if (on('first_order_on') && t.orders > 0 && rng.chance(0.9)) {
      this.time('first_order_on', midnightUtc(c.subscribedAt + Math.floor((c.updatedAt - c.subscribedAt) * rng.next() ** 3)));
    }
    if (on('preferred_store') && rng.chance(0.35)) this.text('preferred_store', storePick.pick(rng));
    if (on('household_size') && rng.chance(0.25)) this.number('household_size', householdPick.pick(rng));
  }

  private id(key: FieldKey | ExtraFieldKey): number {
    return (this.ids as Record<string, number>)[key]!;
  }

  private text(key: FieldKey | ExtraFieldKey, value: string): void {
    this.insert.run(this.contactId, this.id(key), value, fold(value), null, null, this.updatedAt);
    this.written++;
  }

  private number(key: FieldKey | ExtraFieldKey, value: number): void {
    this.insert.run(this.contactId, this.id(key), null, null, value, null, this.updatedAt);
    this.written++;
  }

  private time(key: FieldKey | ExtraFieldKey, value: number): void {
    this.insert.run(this.contactId, this.id(key), null, null, null, value, this.updatedAt);
    this.written++;
  }
}
