-- Functions the shared SQL text calls, so the filter compiler writes one text for both
-- databases (on SQLite the server registers sb_fold itself and instr is built in).

-- The filter language's case folding is JavaScript's toLowerCase (shared/src/filter/fold.ts).
-- ICU's root-locale lower case is the same mapping (full Unicode, final sigma, İ → i̇), where
-- lower() under the "C" collation of our columns would fold ASCII only.
CREATE FUNCTION sb_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower($1 COLLATE "und-x-icu");

-- SQLite's instr(haystack, needle): 1-based position of the first match, 0 when absent.
CREATE FUNCTION instr(text, text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN strpos($1, $2);

-- Unix milliseconds as a timestamp: the filter compiler's time bounds are numbers (SQLite stores
-- times as unix ms), compared here with timestamp(3) columns.
CREATE FUNCTION sb_time(double precision) RETURNS timestamp(3)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN 'epoch'::timestamp + $1 * interval '1 millisecond';
