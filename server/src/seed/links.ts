import type Database from 'better-sqlite3';
import type { Person } from './person.ts';
import type { Rng } from './rng.ts';
import { tagRules, type Traits } from './traits.ts';

const DAY = 86_400_000;
const languageNames: Record<string, string> = {
  en: 'English', es: 'Spanish', fr: 'French', de: 'German', pt: 'Portuguese', it: 'Italian', nl: 'Dutch',
};

const noteTemplates = [
  'Prefers {channel} over e-mail; keep follow-ups here.',
  'Called about order #{order}, promised a callback tomorrow.',
  'Asked for invoices in the company name. Sent the form.',
  'Long-time customer, very friendly. Mentioned a birthday gift order next month.',
  'Reported a damaged parcel; replacement sent, no return needed.',
  'Interested in the platinum plan, wants a quote for 20 seats.',
  'Do not offer discounts again: already used two goodwill codes this year.',
  'Speaks {language}; route to the matching team if possible.',
  'Complained about delivery times twice. Handle with care.',
  'Wants to be contacted in the {time} only.',
  'Refund approved by lead, waiting for the bank.',
  'Beta tester for the new app, shares good feedback.',
];

export interface LinkIds {
  workspaceId: number;
  agentIds: number[];
  tagIds: number[];
  sequenceIds: number[];
  topicIds: number[];
}

export interface LinkContext {
  person: Person;
  traits: Traits;
  subscribedAt: number;
  /** Tags, sequences and topics date from before it: the contact is still at version 1. */
  updatedAt: number;
  now: number;
}

/** Tags, sequences, OTN topics and agent notes of one contact. */
export class LinkWriter {
  private readonly tag: Database.Statement;
  private readonly sequence: Database.Statement;
  private readonly topic: Database.Statement;
  private readonly note: Database.Statement;
  readonly counts = { tags: 0, sequences: 0, topics: 0, notes: 0 };

  constructor(db: Database.Database, private readonly ids: LinkIds) {
    this.tag = db.prepare('INSERT INTO ContactTag (contactId, tagId, createdAt) VALUES (?, ?, ?)');
    this.sequence = db.prepare('INSERT INTO ContactSequence (contactId, sequenceId, subscribedAt) VALUES (?, ?, ?)');
    this.topic = db.prepare('INSERT INTO ContactOtnTopic (contactId, topicId, optedInAt) VALUES (?, ?, ?)');
    this.note = db.prepare(
      'INSERT INTO Note (workspaceId, contactId, authorId, body, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  write(rng: Rng, contactId: number, c: LinkContext): void {
    const t = c.traits;
    const span = Math.max(0, c.updatedAt - c.subscribedAt);
    const sometime = () => c.subscribedAt + Math.floor(span * rng.next());
    const has = new Set<string>();

    for (let i = 0; i < tagRules.length; i++) {
      const [name, , p] = tagRules[i]!;
      if (rng.chance(p(t))) {
        has.add(name);
        this.tag.run(contactId, this.ids.tagIds[i], sometime());
        this.counts.tags++;
      }
    }

    const sequenceOdds = [
      t.subscribedDays < 30 ? 0.9 : 0.04, // Welcome series
      has.has('cart-abandoned') ? 0.8 : 0.01, // Abandoned cart
      has.has('newsletter') ? 0.55 : 0.04, // Weekly deals
      has.has('churn-risk') ? 0.7 : 0.01, // Win-back
      has.has('onboarded') ? 0.2 : 0.02, // Product tips
    ];
    sequenceOdds.forEach((p, i) => {
      if (rng.chance(p)) {
        this.sequence.run(contactId, this.ids.sequenceIds[i], sometime());
        this.counts.sequences++;
      }
    });

    // One-time notifications are a Messenger/Instagram feature.
    if (t.channel === 'messenger' || t.channel === 'instagram') {
      const topicOdds = [0.15, 0.1, t.orders > 0 ? 0.35 : 0.03, 0.06];
      topicOdds.forEach((p, i) => {
        if (rng.chance(p)) {
          this.topic.run(contactId, this.ids.topicIds[i], sometime());
          this.counts.topics++;
        }
      });
    }

    const noteOdds = has.has('vip') || has.has('complaint') ? 0.35 : 0.025;
    if (rng.chance(noteOdds)) {
      const n = rng.range(1, 3);
      for (let i = 0; i < n; i++) {
        // Notes do not bump the contact's version, so they may come at any time.
        const at = c.subscribedAt + rng.int(c.now - c.subscribedAt);
        const edited = rng.chance(0.2) ? Math.min(c.now, at + rng.int(7 * DAY)) : at;
        this.note.run(this.ids.workspaceId, contactId, rng.pick(this.ids.agentIds), this.noteBody(rng, c), at, edited);
        this.counts.notes++;
      }
    }
  }

  private noteBody(rng: Rng, c: LinkContext): string {
    return rng
      .pick(noteTemplates)
      .replace('{channel}', c.person.channel === 'webchat' ? 'web chat' : c.person.channel)
      .replace('{order}', String(rng.range(100_000, 999_999)))
      .replace('{language}', languageNames[c.person.language ?? ''] ?? 'English')
      .replace('{time}', rng.pick(['morning', 'afternoon', 'evening']));
  }
}
