// The languages the API words its messages in, and the choice among them from Accept-Language
// (RFC 9110 §12.5.4): the acceptable language with the highest quality value that the API speaks,
// by its primary subtag ("ru-RU" is Russian); nothing acceptable, or nothing sent, is English.

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

const spoken = new Set<string>(LANGUAGES);

export function isLanguage(value: string): value is Language {
  return spoken.has(value);
}

/** The language to answer in, for an Accept-Language header (or a CLI's --lang / LANG value). */
export function negotiateLanguage(header: string | readonly string[] | undefined): Language {
  const text = Array.isArray(header) ? header.join(',') : ((header as string | undefined) ?? '');
  const ranges = text
    .split(',')
    .map((part, order) => {
      const [range = '', ...parameters] = part.split(';').map((s) => s.trim());
      let quality = 1;
      for (const parameter of parameters) {
        const match = /^q\s*=\s*([0-9.]+)$/i.exec(parameter);
        if (match) quality = Number(match[1]);
      }
      return { range: range.toLowerCase(), quality: Number.isFinite(quality) ? Math.min(quality, 1) : 0, order };
    })
    .filter((r) => r.range && r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order);
  for (const { range } of ranges) {
    if (range === '*') return DEFAULT_LANGUAGE;
    // "ru-RU", "ru_RU.UTF-8" (a LANG value), "ru"
    const primary = range.split(/[-_.@]/)[0]!;
    if (isLanguage(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}
