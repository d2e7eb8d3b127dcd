// Dev-time generator of connector-mock's localized error messages (not part of the Rust build).
//
// Writes two files, both deterministic (same packages + same src/error.rs -> same bytes):
//   src/i18n/phrases.json
//       For every language @logto/phrases ships (in the package's order), the raw phrase of
//       each Logto error code connector-mock answers with: the `Some("...")` codes of
//       src/error.rs, without our own `mock.*` ones. A language lacking a phrase simply has
//       no entry (the server falls back to English, as i18next does).
//   tests/corpus/i18n/negotiation.json
//       Language-negotiation cases (a `locale` query and Accept-Language headers) with the
//       language and message Logto's stack picks: the request parsing done as Logto's
//       detect-language step does it (koa's URLSearchParams query, header split, JS
//       `Number` q-values, stable sort), the choice and the message made by the REAL
//       i18next, initialised as Logto's core initialises it. `cargo test` replays them.
//
// Before writing, it checks that the server's simple interpolation (`{{name}}` replaced,
// unknown names left as they are, English when a language lacks the phrase) gives exactly
// what i18next's `t()` gives, for every language x code, with and without arguments.
//
// Usage: cd tools/phrases && npm ci && node generate.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import resources from '@logto/phrases';
import i18next from 'i18next';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const packageVersion = (name) =>
  JSON.parse(readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
const source = `@logto/phrases@${packageVersion('@logto/phrases')}, i18next@${packageVersion('i18next')}`;

// ---- the codes connector-mock answers with -------------------------------------------------

const errorRs = readFileSync(path.join(root, 'src/error.rs'), 'utf8');
const codes = [...new Set([...errorRs.matchAll(/Some\("([a-z_]+(?:\.[a-z_]+)+)"\)/g)].map((m) => m[1]))]
  .filter((code) => !code.startsWith('mock.'))
  .sort();
if (codes.length < 10) throw new Error(`only ${codes.length} codes found in src/error.rs`);

const lookup = (phrases, code) => code.split('.').reduce((node, key) => node?.[key], phrases?.errors);

// ---- i18next as Logto's core sets it up (packages/core/src/i18n/init.ts) -------------------

await i18next.init({ fallbackLng: 'en', supportedLngs: Object.keys(resources), resources });
const languageUtils = i18next.services.languageUtils;
const translate = (instance, code, args) =>
  instance.t(`errors:${code}`, { ...args, interpolation: { escapeValue: false } });

// ---- the data file --------------------------------------------------------------------------

// Codes whose arguments never change, rendered here once per language (their phrases use
// i18next formatters, such as a localized list, that the server does not implement).
const fixedArguments = {
  'connector.email_connector.bulk_deletion_no_filter': { properties: ['languageTag', 'templateType'] },
};

const placeholder = /{{(.*?)}}/g;
const languages = {};
for (const [language, phrases] of Object.entries(resources)) {
  languages[language] = {};
  for (const code of codes) {
    if (fixedArguments[code]) {
      const instance = i18next.cloneInstance({ lng: language });
      languages[language][code] = translate(instance, code, fixedArguments[code]);
      continue;
    }
    const phrase = lookup(phrases, code);
    if (phrase === undefined) continue;
    if (typeof phrase !== 'string') throw new Error(`${language} ${code}: not a string`);
    if (phrase.includes('$t(')) throw new Error(`${language} ${code}: nesting is not supported`);
    for (const [, name] of phrase.matchAll(placeholder)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new Error(`${language} ${code}: placeholder {{${name}}} is not a plain name`);
      }
    }
    languages[language][code] = phrase;
  }
}
for (const code of codes) {
  if (languages.en?.[code] === undefined) throw new Error(`no English phrase for ${code}`);
}

/** What the server does: the language's phrase (else English), `{{name}}` replaced. */
const serverMessage = (language, code, args) => {
  if (language === 'cimode') return code;
  if (fixedArguments[code]) args = {};
  const phrase = languages[language]?.[code] ?? languages.en[code];
  return phrase.replace(placeholder, (whole, name) => (Object.hasOwn(args, name) ? args[name] : whole));
};

const argumentSets = [{}, { type: 'body', method: 'getAuthorizationUri' }, { type: '$& {{type}} <b>' }];
for (const language of [...Object.keys(resources), 'cimode']) {
  const instance = i18next.cloneInstance({ lng: language });
  for (const code of codes) {
    for (const args of fixedArguments[code] ? [fixedArguments[code]] : argumentSets) {
      const expected = translate(instance, code, args);
      const ours = serverMessage(language, code, args);
      if (ours !== expected) {
        throw new Error(`${language} ${code} ${JSON.stringify(args)}: i18next ${JSON.stringify(expected)}, ours ${JSON.stringify(ours)}`);
      }
    }
  }
}

// ---- negotiation corpus ---------------------------------------------------------------------

/** Accept-Language as Logto's detect-language reads it: entries by q, highest first (stable). */
function headerLanguages(header) {
  if (header === undefined) return [];
  const entries = [];
  for (const piece of header.split(',')) {
    const [language, ...params] = piece.split(';').map((part) => part.trim());
    if (!language) continue;
    let quality = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      const number = Number(value);
      if (key === 'q' && !Number.isNaN(number)) {
        quality = number;
        break;
      }
    }
    entries.push([language, quality]);
  }
  return entries.sort((a, b) => b[1] - a[1]).map(([language]) => language);
}

/** The language and message of `guard.invalid_input` (type `body`) Logto would answer with. */
function judge({ query, acceptLanguage }) {
  // Node joins repeated Accept-Language headers with ", "; koa parses the query with URLSearchParams.
  const header = acceptLanguage === undefined ? undefined : acceptLanguage.join(', ');
  const candidates = [...new URLSearchParams(query).getAll('locale'), ...headerLanguages(header)];
  const found = candidates
    .map((code) => languageUtils.formatLanguageCode(code))
    .find((code) => languageUtils.isSupportedCode(code));
  const instance = i18next.cloneInstance({ lng: found });
  return {
    language: instance.language,
    message: translate(instance, 'guard.invalid_input', { type: 'body' }),
  };
}

const header = (...values) => ({ query: '', acceptLanguage: values });
const query = (text, ...values) => ({ query: text, acceptLanguage: values.length ? values : undefined });
const cases = [
  // nothing asked
  query(''),
  header(''),
  // exact tags, case and region
  ...['de', 'fr', 'ja', 'zh-CN', 'zh-TW', 'zh-HK', 'pt-BR', 'pt-PT', 'ko', 'ar', 'en'].map((tag) => header(tag)),
  header('DE'), header('De'), header('EN'), header('de-AT'), header('de-de'), header('de-DE, de;q=0.9'),
  header('zh'), header('zh-cn'), header('ZH-cn'), header('zh-hans'), header('zh-Hans-CN'), header('zh_CN'),
  header('pt'), header('pt-br'), header('fa-ir'), header('fa'), header('tr-tr'), header('pl-pl'),
  header('en-US'), header('en-US, de'), header('en-US,en;q=0.9,de;q=0.8'), header('de-DE,de;q=0.9,en;q=0.8'),
  header('*'), header('*, ja;q=0.1'), header('cimode'), header('CIMODE'), header('x-pig-latin, it;q=0.2'),
  // q ordering
  header('fr;q=0.5, ja;q=0.8'), header('fr, ja'), header('fr;q=0.5, ja;q=0.5'), header('xx, ko;q=0.1'),
  header('ko;q=0, xx'), header('es;q=2, it'), header('es;q=-1, it;q=-0.5'), header('es;q=abc, it;q=0.9'),
  header('es;q=abc;q=0.1, it;q=0.5'), header('es;x=1;q=0.2, it;q=0.3'), header('es;q=, it;q=0.1'),
  header('es;q, it;q=0.1'), header('es; q=0.1, it;q=0.2'), header('es;q =0.1, it;q=0.2'),
  header('es;q= 0.1, it;q=0.2'), header('es;Q=0.1, it;q=0.2'), header('es;q=0.1=9, it;q=0.2'),
  header('es;q=1e-3, it;q=0x10'), header('es;q=Infinity, it;q=1e308'), header('es;q=-Infinity, it;q=-1e308'),
  header('es;q=Infinity, it;q=Infinity'), header('es;q=inf, it;q=0.5'), header('es;q=0b11, it;q=2'),
  header('es;q=0o7, it;q=6.5'), header('es;q=0B11, it;q=2.5'), header('es;q=-0x1, it;q=0.9'),
  header('es;q=1_0, it;q=0.9'), header('es;q=.5, it;q=0.4'), header('es;q=5., it;q=4.9'),
  header('es;q=+.5e1, it;q=4.9'), header('es;q=1e, it;q=0.9'), header('es;q=., it;q=0.9'),
  header('es;q=-0, it;q=0'), header('es;q=0, it;q=-0'), header('es;q=NaN, it;q=0.9'),
  header('es;q=1e400, it;q=1e999'), header('es;q=0.30000000000000004, it;q=0.3'),
  header('es;q=99999999999999999999999999999, it;q=1e29'),
  // entry syntax
  header(';q=1, th'), header(' , , th'), header('\u00a0ru'), header('\u0085ru, ko;q=0.1'), header('\tru\t;\tq=0.5'),
  header('ru\u00a0;q=0.5, th;q=0.4'), header('th;q=\u00a00.5\u00a0, ru;q=0.4'), header('ru;;q=0.3, th;q=0.2'),
  header('ru ;q=0.3'), header('r u'), header('ru,,,'), header(',,,ru'), header('ru;q=0.3;q=0.9, th;q=0.5'),
  // several Accept-Language headers (Node joins them with ", ")
  header('fr;q=0.1', 'ko;q=0.2'), header('', 'ko'), header('xx', 'yy', 'it;q=0.01'),
  // the locale query parameter comes first, in order, unsorted
  query('locale=de'), query('locale=fr', 'de'), query('locale=xx', 'ja'), query('locale=xx&locale=it'),
  query('locale=it&locale=de'), query('locale=de;q=0.5'), query('locale=%20de'), query('locale=de%20'),
  query('locale=zh+CN'), query('locale=zh-cn'), query('Locale=de'), query('locale'), query('locale=&locale=ko'),
  query('a=1&locale=th&b'), query('locale=d%65'), query('%6Cocale=de'), query('locale=%zz&locale=es'),
  query('locale=fa-%C4%B1r'), query('locale=cimode'), query('locale=de&locale=fr', 'ja'),
  query('locale[]=de'), query('locale=de-AT', 'de-AT, fr;q=0.1'), query('locale=%FF', 'ru'),
  query('&&locale=ko&&'), query('?locale=pt-pt'), query('??locale=pt-pt'), query('locale==de'), query('locale=de=1'), query('target=x&locale=es'),
];
const corpus = {
  source: `${source}; judged as Logto's koa-i18next middleware does (see tools/phrases/generate.mjs)`,
  cases: cases.map((input) => ({ ...input, expect: judge(input) })),
};

// ---- write ----------------------------------------------------------------------------------

const toJson = (value) => `${JSON.stringify(value, null, 2)}\n`;
writeFileSync(
  path.join(root, 'src/i18n/phrases.json'),
  toJson({ source, codes, languages })
);
mkdirSync(path.join(root, 'tests/corpus/i18n'), { recursive: true });
writeFileSync(path.join(root, 'tests/corpus/i18n/negotiation.json'), toJson(corpus));
console.log(`${codes.length} codes x ${Object.keys(languages).length} languages; ${cases.length} negotiation cases (${source})`);
