// i18next for the portal: the browser's language on the first visit, then the partner's choice,
// kept in localStorage (it is not a secret, and it must outlive the tab and the sign-in). The
// chosen language also sets <html lang> and goes to the API as Accept-Language (api/http.ts).
import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { languages, namespaces, resources } from './resources.ts';

export const languageStorageKey = 'licensing-portal.language';

i18next.on('languageChanged', () => {
  document.documentElement.lang = currentLanguage();
});

void i18next
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources,
    supportedLngs: languages,
    nonExplicitSupportedLngs: true, // ru-RU and ru-UA are Russian
    load: 'languageOnly',
    fallbackLng: 'en',
    ns: namespaces,
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes what it renders
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: languageStorageKey,
      caches: ['localStorage'],
      convertDetectedLanguage: (language) => language.split('-')[0]!.toLowerCase(),
    },
  });

/** The language the portal shows: one of `languages` (a browser's "de" falls back to English). */
export function currentLanguage(): string {
  return i18next.resolvedLanguage ?? 'en';
}

export function changeLanguage(language: string): Promise<unknown> {
  return i18next.changeLanguage(language);
}

export { languages };
