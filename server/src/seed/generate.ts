import type Database from 'better-sqlite3';
import { hashPassword } from '../features/auth/password.ts';
import {
  demoLogins, demoPassword, demoWorkspaceName, fieldDefs, segmentDefs, sequenceNames, topicNames, type FieldDef, type FieldKey,
} from './catalog.ts';
import { seedContacts } from './contacts.ts';
import { seedConversations } from './conversations.ts';
import { deferDerivedData } from './deferred.ts';
import { extraFieldDefs } from './fields.ts';
import { tagRules } from './traits.ts';

export { demoLogins, demoPassword } from './catalog.ts';

export interface SeedOptions {
  /** Default 2,000. */
  contacts?: number;
  /** Default 300, on the most recently active contacts. */
  conversations?: number;
  /** 0 … 2^32-1, default 42. Same seed and `now` give the same rows (the password hash aside). */
  seed?: number;
  /** Reference time in unix ms that every timestamp is relative to. Default Date.now(). */
  now?: number;
  /** Contacts per savepoint inside the seed's one transaction (and per progress line). Default 50,000. */
  batchSize?: number;
  /**
   * Custom fields beyond the default twelve, 0 … extraFieldDefs.length (default 0): the first n of
   * `extraFieldDefs` (mixed types), for benchmarks. The other rows are the same with or without.
   */
  extraFields?: number;
  log?: (msg: string) => void;
}

export interface SeedSummary {
  workspaceId: number;
  contacts: number;
  conversations: number;
  messages: number;
  /** Tag and custom field definitions. */
  tags: number;
  fields: number;
  /** Rows hanging off contacts. */
  contactTags: number;
  fieldValues: number;
  contactSequences: number;
  contactTopics: number;
  notes: number;
  ms: number;
}

const DAY = 86_400_000;

/**
 * Fills a migrated database with the demo workspace "Acme Support": four logins (one per role),
 * tags, custom fields, sequences, OTN topics, segments, `contacts` contacts and `conversations`
 * conversations, in one transaction. Meant for an empty database; when agents with the demo
 * e-mails already exist they are reused (their passwords are left alone) and another workspace
 * is created. Blocks the event loop while it writes (tens of seconds per million contacts).
 */
export async function seedDemo(db: Database.Database, opts: SeedOptions = {}): Promise<SeedSummary> {
  const started = performance.now();
  const contacts = opts.contacts ?? 2_000;
  const conversations = opts.conversations ?? 300;
  const seed = opts.seed ?? 42;
  const now = opts.now ?? Date.now();
  const extraFields = opts.extraFields ?? 0;
  const log = opts.log ?? (() => {});
  for (const [name, value] of Object.entries({ contacts, conversations, seed, now, extraFields })) {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`seedDemo: ${name} must be a non-negative integer`);
  }
  if (extraFields > extraFieldDefs.length) throw new Error(`seedDemo: extraFields must be at most ${extraFieldDefs.length}`);
  const fields: readonly FieldDef[] = [...fieldDefs, ...extraFieldDefs.slice(0, extraFields)];
  if (seed >= 2 ** 32) throw new Error('seedDemo: seed must be below 2^32');

  const passwordHash = await hashPassword(demoPassword);
  // Everything from here on is synchronous and one transaction: an interrupted seed leaves the
  // database as it was (empty), never half-filled or without its indexes. A large page cache
  // keeps the B-trees being appended to in memory. No fsync while seeding: only an OS crash
  // could hurt, and it would only hurt a demo database being created.
  const saved = { cache: db.pragma('cache_size', { simple: true }), sync: db.pragma('synchronous', { simple: true }) };
  db.pragma('cache_size = -524288');
  db.pragma('synchronous = OFF');
  db.exec('BEGIN IMMEDIATE');
  try {
    const ids = insertCatalog(db, passwordHash, now, fields);
    log(`workspace ${ids.workspaceId}: ${tagRules.length} tags, ${fields.length} fields, ${segmentDefs.length} segments`);
    const restoreDerived = deferDerivedData(db);
    const rows = seedContacts(db, ids, { count: contacts, seed, now, batchSize: opts.batchSize ?? 50_000, log });
    const indexing = performance.now();
    restoreDerived();
    log(`indexes and search index rebuilt in ${((performance.now() - indexing) / 1000).toFixed(1)} s`);
    const talk = seedConversations(db, ids, { count: conversations, seed: (seed ^ 0x5eed) >>> 0, now });
    log(`conversations ${talk.conversations.toLocaleString('en-US')}, messages ${talk.messages.toLocaleString('en-US')}`);
    db.exec('COMMIT');
    return {
      workspaceId: ids.workspaceId,
      contacts: rows.contacts,
      conversations: talk.conversations,
      messages: talk.messages,
      tags: tagRules.length,
      fields: fields.length,
      contactTags: rows.tags,
      fieldValues: rows.fieldValues,
      contactSequences: rows.sequences,
      contactTopics: rows.topics,
      notes: rows.notes,
      ms: Math.round(performance.now() - started),
    };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  } finally {
    db.pragma(`cache_size = ${Number(saved.cache)}`);
    db.pragma(`synchronous = ${Number(saved.sync)}`);
  }
}

function insertCatalog(db: Database.Database, passwordHash: string, now: number, fields: readonly FieldDef[]) {
  const founded = now - 760 * DAY;
  return db.transaction(() => {
    const workspaceId = Number(
      db.prepare('INSERT INTO Workspace (name, createdAt, updatedAt) VALUES (?, ?, ?)')
        .run(demoWorkspaceName, founded, founded).lastInsertRowid,
    );
    const addAgent = db.prepare(`INSERT INTO Agent (email, name, passwordHash, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(email) DO NOTHING`);
    const agentId = db.prepare('SELECT id FROM Agent WHERE email = ?').pluck();
    const addMember = db.prepare('INSERT INTO Membership (workspaceId, agentId, role, createdAt) VALUES (?, ?, ?, ?)');
    const agentIds = demoLogins.map((login) => {
      addAgent.run(login.email, login.name, passwordHash, founded, founded);
      const id = agentId.get(login.email) as number;
      addMember.run(workspaceId, id, login.role, founded);
      return id;
    });

    const named = (sql: string, names: readonly string[], step: number) => {
      const stmt = db.prepare(sql);
      return names.map((name, i) => Number(stmt.run(workspaceId, name, founded + i * step).lastInsertRowid));
    };
    const tagIds = tagRules.map(([name, color], i) =>
      Number(db.prepare('INSERT INTO Tag (workspaceId, name, color, createdAt) VALUES (?, ?, ?, ?)')
        .run(workspaceId, name, color, founded + i * DAY).lastInsertRowid),
    );
    const sequenceIds = named('INSERT INTO Sequence (workspaceId, name, createdAt) VALUES (?, ?, ?)', sequenceNames, 7 * DAY);
    const topicIds = named('INSERT INTO OtnTopic (workspaceId, name, createdAt) VALUES (?, ?, ?)', topicNames, 11 * DAY);

    const addField = db.prepare(`INSERT INTO CustomField (workspaceId, key, label, type, options, position, createdAt, updatedAt)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const fieldIds = Object.fromEntries(
      fields.map((f, i) => {
        const at = founded + i * DAY;
        const options = f.options ? JSON.stringify(f.options) : null;
        return [f.key, Number(addField.run(workspaceId, f.key, f.label, f.type, options, i, at, at).lastInsertRowid)];
      }),
    ) as Record<FieldKey, number>;

    const lead = agentIds[demoLogins.findIndex((l) => l.role === 'lead')]!;
    const addSegment = db.prepare(`INSERT INTO Segment (workspaceId, name, description, filter, authorId, createdAt, updatedAt)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    segmentDefs.forEach((s, i) => {
      const at = founded + (30 + i) * DAY;
      addSegment.run(workspaceId, s.name, s.description, JSON.stringify(s.filter), lead, at, at);
    });
    return {
      workspaceId,
      agentIds,
      agentNames: demoLogins.map((l) => l.name),
      tagIds,
      fieldIds,
      sequenceIds,
      topicIds,
    };
  })();
}
