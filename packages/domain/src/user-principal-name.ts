/**
 * User principal names compare as people read them: two names that differ only in Unicode form
 * (composed "é" or "e" + combining accent), in compatibility variants (full-width "ｊｏｈｎ") or in
 * case are the same name. The key is NFKC, then case folding (upper- then lower-casing, which
 * folds "ß" to "ss" as well), then NFKC again; migration 0007 computes the same key in Postgres
 * (`users.upn_key`), whose unique index is what enforces it.
 */
export function userPrincipalNameKey(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * Characters a user principal name must not contain because nobody can see them: format characters
 * (Unicode category Cf: zero-width space and joiners, bidirectional controls, soft hyphen, BOM),
 * other default-ignorable code points (variation selectors, Hangul fillers, the combining
 * grapheme joiner), private-use, surrogate and unassigned code points.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Co}\p{Cs}\p{Cn}]/gu;

/** The invisible characters of a name, as `U+XXXX` code points; empty when it has none. */
export function invisibleCharacters(name: string): string[] {
  return [...new Set(name.match(INVISIBLE) ?? [])].map(
    (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
}
