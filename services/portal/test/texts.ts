// The portal's own texts for a test, so that one test runs in every language: the same i18next and
// locale files as the portal (web/src/locales/<language>/<namespace>.json), with its plural rules.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next, { type Resource, type TFunction } from 'i18next';

const localesDir = fileURLToPath(new URL('../web/src/locales/', import.meta.url));

export type Language = 'en' | 'ru';

/** `tr('users:title')`, `tr('users:count', { count: 3 })`, as the portal words them in `language`. */
export async function portalTexts(language: Language): Promise<TFunction> {
  const resources: Resource = {};
  for (const lang of readdirSync(localesDir)) {
    resources[lang] = {};
    for (const file of readdirSync(`${localesDir}${lang}`).filter((name) => name.endsWith('.json')))
      resources[lang][file.replace(/\.json$/, '')] = JSON.parse(readFileSync(`${localesDir}${lang}/${file}`, 'utf8'));
  }
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: language,
    fallbackLng: 'en',
    defaultNS: 'common',
    interpolation: { escapeValue: false },
  });
  return instance.t;
}
