-- Searching a customer's users by any part of the display name or the user principal name, case and
-- accents aside ("muller" finds "Müller"), through a trigram index, so that a search reads the rows
-- that match instead of every row of the customer (issue 27). pg_trgm and unaccent ship with
-- PostgreSQL's contrib (Debian's postgresql-15 package, the postgres Docker images), and both are
-- trusted extensions: the database's owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- The form of a text that searches compare: Unicode NFKC (a composed "é" and "e" + U+0301, full-width
-- "ｊｏｈｎ" and "john" are one spelling), lower case by the ICU root collation, and without accents by
-- unaccent's rules ("ü" → "u", "ß" → "ss", "ø" → "o", "ł" → "l"). The API passes the search text
-- through the same function. unaccent() is only STABLE (its rules file could change); this wrapper
-- names its dictionary and is declared IMMUTABLE so that a stored column may use it: after changing
-- the server's unaccent.rules, recompute the column (UPDATE users SET display_name = display_name).
CREATE FUNCTION user_search_key(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN public.unaccent('public.unaccent'::regdictionary, lower(normalize($1, NFKC) COLLATE "und-x-icu"));

-- Both names in that form, separated by U+0001: a search cannot contain control characters, so no
-- match spans the two. Stored, so that checking a candidate row compares bytes ("C") instead of
-- computing the key again.
ALTER TABLE users ADD COLUMN search_text text COLLATE "C"
  GENERATED ALWAYS AS (user_search_key(display_name) || E'\x01' || user_search_key(user_principal_name)) STORED;
CREATE INDEX users_search ON users USING gin (search_text gin_trgm_ops);
