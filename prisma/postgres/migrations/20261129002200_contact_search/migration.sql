-- Contact search on PostgreSQL: pg_trgm GIN indexes, the twin of SQLite's FTS5 trigram index
-- (migration contact_search there). Any substring of three or more characters is a
-- `LIKE '%…%'` these indexes answer; the search service builds the same AND-of-OR expressions
-- for both (server/src/features/search/pg.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The search fold: the filter fold (JavaScript toLowerCase, via ICU) with accents taken off, as
-- FTS5's remove_diacritics and the ranking's foldForSearch do ("José" and "jose" match). Most
-- names and addresses are ASCII, for which that is plain lower().
CREATE FUNCTION sb_search(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN $1 ~ '^[\x01-\x7f]*$' THEN lower($1)
        ELSE normalize(regexp_replace(normalize(lower($1 COLLATE "und-x-icu"), NFD),
            '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+', '', 'g'), NFC) END;

-- Name, e-mail and phone as one stored text, folded once when a contact is written (a fold per
-- row at query time made a 3,000-contact scan cost 100 ms). chr(1) separates them: no entry
-- contains it, so a match never spans two fields, as FTS5 indexes its columns apart. Prisma's
-- schema does not model it; PostgreSQL keeps it in step with every writer.
ALTER TABLE "contact" ADD COLUMN "searchtext" text COLLATE "C" GENERATED ALWAYS AS (
    sb_search("namekey") || chr(1) || coalesce(sb_search("email"), '') || chr(1) || coalesce("phone", '')
) STORED;

CREATE INDEX "contact_search" ON "contact" USING gin ("searchtext" gin_trgm_ops);
-- Digits typed as a phone number match the phone only.
CREATE INDEX "contact_search_phone" ON "contact" USING gin ("phone" gin_trgm_ops);
