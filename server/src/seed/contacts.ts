import type Database from 'better-sqlite3';
import { fold } from '@switchboard/shared/filter/fold';
import type { FieldKey } from './catalog.ts';
import { FieldWriter } from './fields.ts';
import { LinkWriter, type LinkIds } from './links.ts';
import { PersonFactory } from './person.ts';
import { Rng } from './rng.ts';
import { drawOrders, drawTier, type Traits } from './traits.ts';

const DAY = 86_400_000;

export interface ContactIds extends LinkIds {
  fieldIds: Record<FieldKey, number>;
}

export interface ContactCounts {
  contacts: number;
  fieldValues: number;
  tags: number;
  sequences: number;
  topics: number;
  notes: number;
}

export interface ContactSeedOptions {
  count: number;
  seed: number;
  now: number;
  /** Contacts per savepoint and progress line. */
  batchSize: number;
  log: (msg: string) => void;
}

/**
 * Generates and inserts contacts with everything hanging off them, a savepoint per batch (a
 * transaction of its own when called outside one). Rows are written as they are made, so
 * memory stays flat whatever the count.
 */
export function seedContacts(db: Database.Database, ids: ContactIds, o: ContactSeedOptions): ContactCounts {
  const rng = new Rng(o.seed);
  const people = new PersonFactory(rng.fork(1), o.seed);
  const fields = new FieldWriter(db, ids.fieldIds);
  const links = new LinkWriter(db, ids);
  const insert = db.prepare(`INSERT INTO Contact (workspaceId, channel, channelUserId, firstName, lastName, nameKey,
    gender, language, timezone, avatarUrl, email, phone, country, subscribedAt, lastInteractionAt, createdAt, updatedAt, version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`);
  const now = o.now;

  const writeOne = () => {
    const p = people.next();
    // More recent sign-ups than old ones: the audience grew over the two years.
    const subscribedAt = now - 10 * 60_000 - Math.floor(730 * DAY * rng.next() ** 1.35);
    const createdAt = subscribedAt - rng.int(120_000);
    const nullShare = p.channel === 'sms' || p.channel === 'voice' ? 0.25 : 0.02;
    let lastInteractionAt: number | null = null;
    if (!rng.chance(nullShare)) {
      const e = rng.next();
      const silence = rng.exp(e < 0.3 ? 4 * DAY : e < 0.75 ? 45 * DAY : 240 * DAY);
      lastInteractionAt = Math.floor(now - silence);
      if (lastInteractionAt < subscribedAt) {
        lastInteractionAt = subscribedAt + rng.int(Math.min(now - subscribedAt, DAY));
      }
    }
    const updatedAt = lastInteractionAt ?? createdAt;
    const tier = drawTier(rng);
    const traits: Traits = {
      channel: p.channel,
      language: p.language ?? '',
      tier,
      orders: drawOrders(rng, tier),
      subscribedDays: (now - subscribedAt) / DAY,
      silentDays: lastInteractionAt === null ? null : (now - lastInteractionAt) / DAY,
      hasCompany: rng.chance(0.3),
      acceptsMarketing: rng.chance(0.9) ? rng.chance(0.62) : null,
      gaveNps: rng.chance(0.3),
    };
    const nameKey = fold(`${p.firstName ?? ''} ${p.lastName ?? ''}`.trim());
    const id = Number(
      insert.run(ids.workspaceId, p.channel, p.channelUserId, p.firstName, p.lastName, nameKey, p.gender, p.language,
        p.timezone, p.avatarUrl, p.email, p.phone, p.profile.country.code, subscribedAt, lastInteractionAt, createdAt,
        updatedAt).lastInsertRowid,
    );
    fields.write(rng, id, { person: p, traits, subscribedAt, updatedAt, now });
    links.write(rng, id, { person: p, traits, subscribedAt, updatedAt, now });
  };

  const writeBatch = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) writeOne();
  });

  const started = performance.now();
  for (let done = 0; done < o.count; ) {
    const n = Math.min(o.batchSize, o.count - done);
    writeBatch(n);
    done += n;
    const seconds = (performance.now() - started) / 1000;
    o.log(`contacts ${done.toLocaleString('en-US')}/${o.count.toLocaleString('en-US')} (${Math.round(done / seconds).toLocaleString('en-US')}/s)`);
  }
  return { contacts: o.count, fieldValues: fields.written, ...links.counts };
}
