// Numbers, dates, lists and region names through Intl in the chosen language (never a fixed en-US).
// Inside a translation, i18next's own formats do the same: "{{count, number}}", "{{started, datetime}}".
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface Format {
  number: (value: number) => string;
  date: (value: string | Date) => string;
  dateTime: (value: string | Date) => string;
  /** "A, B and C" */
  list: (items: string[]) => string;
  /** "A, B or C" */
  orList: (items: string[]) => string;
  /** "US" → "United States" / "Соединенные Штаты" */
  region: (code: string) => string;
}

export function formatFor(language: string): Format {
  const number = new Intl.NumberFormat(language);
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const and = new Intl.ListFormat(language, { type: 'conjunction' });
  const or = new Intl.ListFormat(language, { type: 'disjunction' });
  const regions = new Intl.DisplayNames([language], { type: 'region' });
  return {
    number: (value) => number.format(value),
    date: (value) => date.format(new Date(value)),
    dateTime: (value) => dateTime.format(new Date(value)),
    list: (items) => and.format(items),
    orList: (items) => or.format(items),
    region: (code) => {
      try {
        return regions.of(code) ?? code;
      } catch {
        return code; // not a region code Intl knows
      }
    },
  };
}

/** The formats of the language the portal shows; components re-render when it changes. */
export function useFormat(): Format {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => formatFor(language), [language]);
}
