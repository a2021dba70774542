// `pnpm i18n:check` (part of `pnpm lint`): every problem `code` the API declares (PROBLEM_CODES)
// and every per-user error code (VIOLATION_CODES) has its texts in every language the API speaks
// (packages/i18n); and the portal's translation keys against its texts.
// Every t('key') call of services/portal/web/src is found through TypeScript's type checker (the
// namespace comes from the call's TFunction type, so a `t` passed to a helper counts too), and
// fails the check when:
//   - a key is not a literal (a computed key cannot be checked; write one t('…') per case),
//   - a key used is missing, or empty, in any language; a key called with `count` needs every
//     plural form the language has (Intl.PluralRules: en one/other, ru one/few/many/other),
//   - a language has a key no code uses (unused, or left over after a rename).
// Visible text that bypasses t() altogether is Biome's part (noJsxLiterals and
// services/portal/lint/translated-attributes.grit).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { VIOLATION_CODES } from '@licensing/domain';
import { CHANGE_ERROR_MESSAGES, LANGUAGES, PROBLEM_TEXTS } from '@licensing/i18n';
import { PROBLEM_CODES } from '../services/api/src/schemas/openapi.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'services/portal/web');
const localesDir = join(web, 'src/locales');

type Texts = Map<string, string>; // "namespace:dotted.key" → text

function flatten(namespace: string, value: unknown, prefix: string, into: Texts) {
  if (typeof value === 'string') into.set(`${namespace}:${prefix}`, value);
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value))
      flatten(namespace, inner, prefix ? `${prefix}.${key}` : key, into);
  else into.set(`${namespace}:${prefix}`, ''); // not a text: reported as empty
}

const languages = readdirSync(localesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const texts = new Map<string, Texts>();
for (const language of languages) {
  const all: Texts = new Map();
  for (const file of readdirSync(join(localesDir, language)).filter((name) => name.endsWith('.json')))
    flatten(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(localesDir, language, file), 'utf8')), '', all);
  texts.set(language, all);
}

const config = ts.getParsedCommandLineOfConfigFile(
  join(web, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
if (!config) throw new Error('cannot read services/portal/web/tsconfig.json');
const program = ts.createProgram(config.fileNames, config.options);
const checker = program.getTypeChecker();

const problems: string[] = [];

// The API's words: a code without texts in a language would answer in English only.
const apiTexts: [string, Record<string, Record<string, unknown>>, readonly string[]][] = [
  ['problem', PROBLEM_TEXTS, Object.keys(PROBLEM_CODES)],
  ['per-user error', CHANGE_ERROR_MESSAGES, VIOLATION_CODES],
];
for (const [kind, catalog, codes] of apiTexts)
  for (const code of codes)
    for (const language of LANGUAGES)
      if (typeof catalog[code]?.[language] !== 'function')
        problems.push(`packages/i18n: the ${kind} code "${code}" has no ${language} text`);

/** "namespace:key" → called with a count (plural) or not */
const used = new Map<string, { plural: boolean; where: string }>();

function literalStrings(type: ts.Type): string[] {
  if (type.isStringLiteral()) return [type.value];
  if (type.isUnion()) return type.types.flatMap(literalStrings);
  if (checker.isTupleType(type)) return checker.getTypeArguments(type as ts.TypeReference).flatMap(literalStrings);
  return [];
}

/** The namespaces of an i18next TFunction type (its first type argument), or undefined for any other callee. */
function tFunctionNamespaces(callee: ts.Expression): string[] | undefined {
  const type = checker.getTypeAtLocation(callee);
  const symbol = type.aliasSymbol ?? type.getSymbol();
  if (symbol?.getName() !== 'TFunction') return undefined;
  const args = type.aliasTypeArguments ?? checker.getTypeArguments(type as ts.TypeReference);
  const namespaces = args[0] ? literalStrings(args[0]) : [];
  return namespaces.length ? namespaces : ['common'];
}

for (const source of program.getSourceFiles()) {
  if (source.isDeclarationFile || !source.fileName.startsWith(join(web, 'src'))) continue;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const namespaces = tFunctionNamespaces(node.expression);
      if (namespaces) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        const where = `${relative(root, source.fileName)}:${line + 1}`;
        const [keyArg, options] = node.arguments;
        if (!keyArg || !ts.isStringLiteralLike(keyArg)) problems.push(`${where}: the key is not a literal string`);
        else {
          const key = keyArg.text.includes(':') ? keyArg.text : `${namespaces[0]}:${keyArg.text}`;
          const plural = options !== undefined && checker.getTypeAtLocation(options).getProperty('count') !== undefined;
          const before = used.get(key);
          if (before && before.plural !== plural)
            problems.push(`${where}: "${key}" is used both with and without a count (${before.where})`);
          used.set(key, { plural, where });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

for (const language of languages) {
  const all = texts.get(language)!;
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const expected = new Set<string>();
  for (const [key, { plural, where }] of used) {
    const needed = plural ? categories.map((category) => `${key}_${category}`) : [key];
    for (const full of needed) {
      expected.add(full);
      const text = all.get(full);
      if (text === undefined) problems.push(`${language}: "${full}" is missing (used at ${where})`);
      else if (!text.trim()) problems.push(`${language}: "${full}" is empty`);
    }
  }
  for (const key of all.keys())
    if (!expected.has(key))
      problems.push(`${language}: "${key}" is not used by any t() call (or not a plural form of ${language})`);
}

if (problems.length) {
  console.error(`i18n check: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `i18n check: API codes worded in ${LANGUAGES.join(', ')}; portal: ${used.size} keys used, all present in ${languages.join(', ')}, none unused`,
);
