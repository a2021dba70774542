// Every language's texts: web/src/locales/<language>/<namespace>.json, one namespace per feature.
// A language is the folder of its files, found here at build time; adding one needs no code.
// English is the source language: its files define the keys (and their types, see i18next.d.ts).
import type { Resource } from 'i18next';

const files = import.meta.glob<Record<string, unknown>>('../locales/*/*.json', { eager: true, import: 'default' });

export const resources: Resource = {};
for (const [path, texts] of Object.entries(files)) {
  const [, language, namespace] = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path) ?? [];
  if (!language || !namespace) continue;
  resources[language] ??= {};
  resources[language][namespace] = texts;
}

/** The languages the portal speaks, English first (the fallback). */
export const languages = [
  'en',
  ...Object.keys(resources)
    .filter((language) => language !== 'en')
    .sort(),
];
export const namespaces = Object.keys(resources.en ?? {}).sort();
