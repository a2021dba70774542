import unicodeConfusables from 'unhomoglyph/data.json' with { type: 'json' };

/**
 * Every character outside ASCII that Unicode's confusables data (UTS #39 `confusables.txt`, as the
 * unhomoglyph package ships it) gives a prototype for, with that prototype: Cyrillic "а" → "a",
 * Greek "ο" → "o", "ℓ" → "l". Migration 0012 holds the same table in Postgres; a test compares the two
 * for every entry.
 */
const PROTOTYPES: ReadonlyMap<string, string> = new Map(
  Object.entries(unicodeConfusables as Record<string, string>).filter(([c]) => c.codePointAt(0)! > 0x7f),
);

/** The confusable characters and their prototypes (see PROTOTYPES). */
export const confusablePrototypes = (): ReadonlyMap<string, string> => PROTOTYPES;

/** NFKC, case folding (upper- then lower-casing, which folds "ß" to "ss" as well), NFKC again. */
const fold = (name: string) => name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');

/**
 * User principal names compare as people read them: two names that differ only in Unicode form
 * (composed "é" or "e" + combining accent), in compatibility variants (full-width "ｊｏｈｎ"), in case,
 * or in letters of another script that look the same (Cyrillic "аdam" and Latin "adam") are the same
 * name. The key is the folded name (NFKC, case folding, NFKC); a name with characters outside ASCII
 * then has each of those, decomposed (NFD), replaced by its confusable prototype, and is folded again
 * (the UTS #39 skeleton of the case-folded name, for characters outside ASCII only). ASCII
 * characters are left as they are: "user1" and "userl", "arnie" and "amie" are different people's
 * names, not spoofs. Migration 0012 computes the same key in Postgres (`users.upn_key`, through
 * `user_principal_name_key`), whose unique index is what enforces it.
 */
export function userPrincipalNameKey(name: string): string {
  const folded = fold(name);
  if (!/[^\u0000-\u007f]/.test(folded)) return folded;
  let skeleton = '';
  for (const c of folded.normalize('NFD')) skeleton += PROTOTYPES.get(c) ?? c;
  return fold(skeleton);
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
