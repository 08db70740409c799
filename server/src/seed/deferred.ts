import type Database from 'better-sqlite3';

const bulkTables = ['Contact', 'FieldValue', 'ContactTag', 'ContactSequence', 'ContactOtnTopic', 'Note'];

interface SchemaObject {
  name: string;
  sql: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Puts the tables the seed fills into bulk-load mode and returns the function that ends it.
 *
 * - Non-unique secondary indexes are dropped and recreated from their stored SQL afterwards:
 *   keeping ~15 indexes current row by row cost more than the inserts (a million contacts:
 *   118 s with them, 83 s deferred); CREATE INDEX sorts once instead. Primary keys and unique
 *   indexes stay, so uniqueness is still enforced while inserting.
 * - AFTER INSERT triggers whose only job is to feed an FTS5 external-content index (the contact
 *   search) are dropped, and each such index is rebuilt from its content table once at the end
 *   (100k contacts: 0.5 s instead of ~3.5 s of trigger work).
 *
 * Call it inside the seed's transaction: if anything fails, the rollback restores all of it.
 */
export function deferDerivedData(db: Database.Database): () => void {
  const placeholders = bulkTables.map(() => '?').join(', ');
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
        AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN (${placeholders}) ORDER BY name`,
    )
    .all(...bulkTables) as SchemaObject[];

  const ftsTables = externalContentIndexes(db);
  const triggers = (
    db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (${placeholders}) ORDER BY name`)
      .all(...bulkTables) as SchemaObject[]
  ).filter((t) => feedsOnly(t.sql, ftsTables));
  const rebuild = [...new Set(triggers.flatMap((t) => targets(t.sql)))];

  for (const index of indexes) db.exec(`DROP INDEX ${quote(index.name)}`);
  for (const trigger of triggers) db.exec(`DROP TRIGGER ${quote(trigger.name)}`);
  return () => {
    for (const index of indexes) db.exec(index.sql);
    for (const trigger of triggers) db.exec(trigger.sql);
    for (const table of rebuild) db.exec(`INSERT INTO ${quote(table)}(${quote(table)}) VALUES ('rebuild')`);
  };
}

/** FTS5 tables declared with content = '<one of the bulk tables>'. */
function externalContentIndexes(db: Database.Database): Set<string> {
  const tables = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'`)
    .all() as SchemaObject[];
  return new Set(
    tables
      .filter((t) => {
        const content = /content\s*=\s*['"]?(\w+)['"]?/i.exec(t.sql)?.[1];
        return content !== undefined && bulkTables.includes(content);
      })
      .map((t) => t.name),
  );
}

function targets(triggerSql: string): string[] {
  return [...triggerSql.matchAll(/INSERT\s+INTO\s+"?(\w+)"?/gi)].map((m) => m[1]!);
}

/** An AFTER INSERT trigger whose every statement is an INSERT into one of `fts`. */
function feedsOnly(triggerSql: string, fts: Set<string>): boolean {
  const match = /AFTER\s+INSERT\s+ON\s+\S+\s+(?:FOR\s+EACH\s+ROW\s+)?BEGIN([\s\S]*)END\s*;?\s*$/i.exec(triggerSql);
  if (!match) return false;
  const statements = match[1]!.split(';').map((s) => s.trim()).filter(Boolean);
  return statements.length > 0 && statements.every((s) => {
    const target = /^INSERT\s+INTO\s+"?(\w+)"?/i.exec(s)?.[1];
    return target !== undefined && fts.has(target);
  });
}
