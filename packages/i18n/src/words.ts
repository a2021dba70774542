// Small helpers the catalogs share: lists, counts with their plural forms, quoting.
import type { Language } from './language.ts';

const pluralRules = new Map<Language, Intl.PluralRules>();
const numberFormats = new Map<Language, Intl.NumberFormat>();

/** The number in the language's format: 50,000 / 50 000. */
export function number(language: Language, value: number): string {
  let format = numberFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(language);
    numberFormats.set(language, format);
  }
  return format.format(value);
}

/** The form of a counted noun: forms by Intl.PluralRules category (en one/other, ru one/few/many/other). */
export function plural(language: Language, count: number, forms: Partial<Record<Intl.LDMLPluralRule, string>>): string {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return forms[rules.select(count)] ?? forms.other ?? '';
}

/** "A", "B" and "C" (or "A", "B" or "C"). */
export function list(
  language: Language,
  items: readonly string[],
  type: 'conjunction' | 'disjunction' = 'conjunction',
) {
  return new Intl.ListFormat(language, { type }).format(items);
}

/** Quoted in the language's way: "EMS" / «EMS». */
export function quote(language: Language, text: string): string {
  return language === 'ru' ? `«${text}»` : `"${text}"`;
}

export function quoteAll(language: Language, items: readonly string[], type?: 'conjunction' | 'disjunction') {
  return list(
    language,
    items.map((item) => quote(language, item)),
    type,
  );
}
