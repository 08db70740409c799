-- Contact search: an FTS5 trigram index over the folded full name, the e-mail and the phone.
--
-- External content (content='Contact'): the index stores only trigram postings, the text stays
-- in Contact, and `INSERT INTO "ContactSearch"("ContactSearch") VALUES('rebuild')` or
-- `('integrity-check')` can rebuild or verify it against Contact at any time.
-- rowid = Contact.id. Column names must equal Contact's for external content to read them back.
--   nameKey  fold(first + ' ' + last), maintained by every writer (docs/DATA.md)
--   email    stored lower-cased
--   phone    E.164; the '+' only adds one harmless trigram, and a run of digits is still a
--            substring of it, so digit queries match with or without the country code
-- trigram: any substring of >= 3 characters is a MATCH, case-insensitively (Unicode folding);
-- remove_diacritics 1 folds "José" and "jose" to the same trigrams, both in the index and in
-- queries.
CREATE VIRTUAL TABLE "ContactSearch" USING fts5(
    "nameKey", "email", "phone",
    content = 'Contact', content_rowid = 'id',
    tokenize = 'trigram remove_diacritics 1'
);

-- Triggers keep the index in step with every writer (Prisma, raw SQL, imports, other tools) and
-- use only SQLite built-ins. External content needs the old values to remove a row, which
-- OLD provides. Updates of other columns (version, timestamps) leave the index alone.
-- INSERT OR REPLACE removes a conflicting row without firing the delete trigger unless
-- PRAGMA recursive_triggers is ON: writers upsert with ON CONFLICT DO UPDATE instead.
CREATE TRIGGER "Contact_search_insert" AFTER INSERT ON "Contact" BEGIN
    INSERT INTO "ContactSearch"(rowid, "nameKey", "email", "phone")
    VALUES (new."id", new."nameKey", new."email", new."phone");
END;

CREATE TRIGGER "Contact_search_delete" AFTER DELETE ON "Contact" BEGIN
    INSERT INTO "ContactSearch"("ContactSearch", rowid, "nameKey", "email", "phone")
    VALUES ('delete', old."id", old."nameKey", old."email", old."phone");
END;

CREATE TRIGGER "Contact_search_update" AFTER UPDATE OF "id", "nameKey", "email", "phone" ON "Contact" BEGIN
    INSERT INTO "ContactSearch"("ContactSearch", rowid, "nameKey", "email", "phone")
    VALUES ('delete', old."id", old."nameKey", old."email", old."phone");
    INSERT INTO "ContactSearch"(rowid, "nameKey", "email", "phone")
    VALUES (new."id", new."nameKey", new."email", new."phone");
END;

-- Backfill the contacts that exist already.
INSERT INTO "ContactSearch"("ContactSearch") VALUES ('rebuild');
