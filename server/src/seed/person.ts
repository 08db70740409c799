import { channels, type Channel } from '@switchboard/shared';
import type { City } from './places.ts';
import { buildNamePool, type NamePool, type PoolName } from './pools.ts';
import { profileWeights, profiles, type Profile } from './profiles.ts';
import { Permutation, Weighted, type Rng } from './rng.ts';
import type { PhonePlan } from './phones.ts';

/** Who a contact is: identity and reachability, before anything about their history. */
export interface Person {
  profile: Profile;
  city: City;
  channel: Channel;
  channelUserId: string;
  firstName: string | null;
  lastName: string | null;
  gender: 'male' | 'female' | 'other' | null;
  language: string | null;
  timezone: string | null;
  email: string | null;
  phone: string | null;
  avatarUrl: string | null;
  company: () => string;
}

const baseChannelWeights: Record<Channel, number> = {
  messenger: 28, instagram: 16, whatsapp: 20, telegram: 6, webchat: 15, sms: 10, voice: 5,
};
// How often a contact on each channel has shared a phone, e-mail or profile picture.
const phoneShare: Record<Channel, number> = { messenger: 0.12, instagram: 0.08, whatsapp: 1, telegram: 0.3, webchat: 0.25, sms: 1, voice: 1 };
const emailShare: Record<Channel, number> = { messenger: 0.55, instagram: 0.45, whatsapp: 0.5, telegram: 0.35, webchat: 0.8, sms: 0.45, voice: 0.3 };

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export class PersonFactory {
  private readonly profilePicker = new Weighted(profiles, profileWeights);
  private readonly channelPickers = new Map<Profile, Weighted<Channel>>();
  private readonly pools = new Map<string, NamePool>();
  private readonly phones = new Map<PhonePlan, () => string>();
  private readonly ids: Record<Channel, { perm: Permutation; issued: number }>;

  constructor(private readonly rng: Rng, private readonly seed: number) {
    this.ids = Object.fromEntries(
      channels.map((c) => [c, { perm: new Permutation(2 ** 32, rng.fork(c.length)), issued: 0 }]),
    ) as PersonFactory['ids'];
    // Key every numbering plan now, in table order, so numbers do not depend on which country
    // happens to come up first.
    for (const profile of profiles) {
      for (const plan of profile.country.plans) {
        if (!this.phones.has(plan)) this.phones.set(plan, plan.issuer(rng.fork(this.phones.size + 1)));
      }
    }
  }

  next(): Person {
    const rng = this.rng;
    const profile = this.profilePicker.pick(rng);
    const city = profile.cities.pick(rng);
    const channel = this.channelPicker(profile).pick(rng);
    const pool = this.pool(profile.locale);

    const g = rng.next();
    const gender = g < 0.45 ? 'male' : g < 0.92 ? 'female' : g < 0.93 ? 'other' : null;
    // SMS and voice contacts often arrive as a bare number; messaging apps always give a name.
    const anonymous = (channel === 'sms' || channel === 'voice') && rng.chance(0.3);
    let first: PoolName | null = null;
    let last: PoolName | null = null;
    if (!anonymous) {
      const firsts = gender === 'male' || (gender !== 'female' && rng.chance(0.5)) ? pool.male : pool.female;
      first = rng.pickSkewed(firsts, 2.2);
      last = rng.chance(0.06) ? null : rng.pickSkewed(pool.last, 1.6);
    }

    const phone = rng.chance(phoneShare[channel]) ? this.phones.get(city.phones)!() : null;
    const email = first && rng.chance(emailShare[channel]) ? this.email(first, last, profile) : null;
    // Demo data carries no avatar URLs: the console runs offline, and a picture host would be
    // contacted by every browser that opens the demo (the console shows initials instead).
    const avatarUrl: string | null = null;
    return {
      profile,
      city,
      channel,
      channelUserId: this.channelUserId(channel, phone),
      firstName: first?.name ?? null,
      lastName: last?.name ?? null,
      gender,
      language: rng.chance(0.98) ? profile.language : null,
      timezone: rng.chance(0.97) ? city.timezone : null,
      email,
      phone,
      avatarUrl,
      company: () => rng.pick(pool.companies),
    };
  }

  private channelUserId(channel: Channel, phone: string | null): string {
    if (channel === 'sms' || channel === 'voice') return phone!;
    if (channel === 'whatsapp') return phone!.slice(1);
    const ids = this.ids[channel];
    const n = ids.perm.at(ids.issued++);
    const rng = this.rng;
    switch (channel) {
      case 'messenger': // page-scoped ids: 16 digits
        return `${rng.range(24, 79)}${pad(n, 10)}${pad(rng.int(10_000), 4)}`;
      case 'instagram': // Instagram-scoped ids: 17 digits
        return `17${pad(n, 10)}${pad(rng.int(100_000), 5)}`;
      case 'telegram': // numeric user ids
        return String(100_000_000 + n);
      default: // web chat visitor ids
        return `v_${n.toString(36).padStart(7, '0')}${rng.int(36 ** 3).toString(36).padStart(3, '0')}`;
    }
  }

  private email(first: PoolName, last: PoolName | null, profile: Profile): string {
    const rng = this.rng;
    const f = first.slug;
    const domain = profile.emailDomains.pick(rng);
    if (!last) return `${f}${rng.range(1, 9999)}@${domain}`;
    const l = last.slug;
    const x = rng.next();
    const local =
      x < 0.3 ? `${f}.${l}`
      : x < 0.45 ? `${f}${l}`
      : x < 0.57 ? `${f[0]}${l}`
      : x < 0.63 ? `${f}_${l}`
      : x < 0.78 ? `${f}.${l}${rng.range(1, 99)}`
      : x < 0.9 ? `${f}${pad(rng.range(60, 109) % 100, 2)}`
      : x < 0.95 ? `${l}.${f}`
      : `${f}${rng.range(100, 9999)}`;
    return `${local}@${domain}`;
  }

  private channelPicker(profile: Profile): Weighted<Channel> {
    let picker = this.channelPickers.get(profile);
    if (!picker) {
      const boost = profile.country.channelBoost;
      picker = new Weighted(channels, channels.map((c) => baseChannelWeights[c] * (boost[c] ?? 1)));
      this.channelPickers.set(profile, picker);
    }
    return picker;
  }

  private pool(locale: string): NamePool {
    let pool = this.pools.get(locale);
    if (!pool) {
      pool = buildNamePool(locale, this.seed);
      this.pools.set(locale, pool);
    }
    return pool;
  }
}
