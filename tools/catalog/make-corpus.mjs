// Dev-time generator of the differential corpus replayed by the Rust tests (`cargo test`).
//
// For every spec (respecting ONLY=id,id,...), writes tests/corpus/<factoryId>.json:
//   factoryId, source ("package@version", or "logto-source (rebuilt guard)"),
//   configs: [{ config, valid }]  the probes of check-fixtures.mjs (probes.mjs) judged by the
//            REAL zod guard (npm) or the rebuilt guard (Logto's mock connectors), de-duplicated,
//            JSON-exact only, capped to MAX_CONFIGS with accepted and rejected ones both kept;
//   authorization (Social only): [{ config, input, expect }] where expect is the real
//            package's answer ({ redirectTo } or { error }), or, for connectors not on npm,
//            the manifest rule's answer (checked by hand, see specs.mjs).
// Everything is deterministic: same specs + packages -> byte-identical files.
// Usage: node make-corpus.mjs [corpusDir]   (exit code 1 if a factory could not be written)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildAuthorizationUri, maskParams, realAnswer, realAuthorizationUri, sameAnswer } from './authorization.mjs';
import { AUTH_INPUTS, authCases } from './check-authorization.mjs';
import { generateProbes, guardFor, urlProbes } from './probes.mjs';
import { SPECS } from './specs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpusDir = path.resolve(process.argv[2] ?? path.join(here, '../../tests/corpus'));

const MIN_CONFIGS = 30;
const MAX_CONFIGS = 150;
// Authorization cases: authConfigs() x AUTH_INPUTS (as check-authorization.mjs), plus up to
// this many other accepted configs from the corpus that give a new answer (first input).
const EXTRA_AUTH_CONFIGS = 12;
const AUTH_TIMEOUT_MS = 10_000;

const toJson = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** True if JSON.stringify/parse gives back exactly this value (no Date, undefined, NaN, ...). */
function isJsonExact(value) {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) {
    // Sparse arrays and extra properties on arrays do not survive JSON.
    return Object.keys(value).length === value.length && value.every((item) => isJsonExact(item));
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    if (Object.getOwnPropertySymbols(value).length > 0) return false;
    return Object.values(value).every((item) => isJsonExact(item));
  }
  return false; // undefined, function, bigint, symbol
}

/** `count` indices spread evenly over 0..length-1 (deterministic). */
const spread = (length, count) =>
  Array.from({ length: Math.min(count, length) }, (_, k) => Math.floor((k * length) / Math.min(count, length)));

/** More probes for factories whose sample is too small to reach MIN_CONFIGS. */
function supplementaryProbes(sample) {
  if (!sample || typeof sample !== 'object' || Array.isArray(sample)) return [];
  const keys = Object.keys(sample);
  const out = [];
  for (let i = 0; i < keys.length; i += 1) {
    for (let j = i + 1; j < keys.length; j += 1) {
      const copy = structuredClone(sample);
      delete copy[keys[i]];
      delete copy[keys[j]];
      out.push(copy);
    }
  }
  const moreValues = ['true', '0', 'null', ' ', 'x'.repeat(300), 2 ** 53, [null], [1], { '': '' }];
  for (const key of keys) for (const value of moreValues) out.push({ ...sample, [key]: value });
  out.push({ ...sample, __unknownKey: null, __otherKey: { a: [1] } });
  return out;
}

/**
 * Judges the probes with the guard, drops duplicates and non-JSON values, and caps the list:
 * the sample, the invalid configs, the non-object probes and the sample with each key removed
 * are always kept; the rest is
 * filled half with accepted, half with rejected configs (evenly spread over generation order,
 * so every kind of mutation is represented), the other pool taking up any unused room.
 */
function selectConfigs(spec, sample, invalidConfigs, guard, counts) {
  let probes = generateProbes(spec.factoryId, {
    configSchema: spec.configSchema,
    sampleConfig: sample,
    invalidConfigs,
  });
  const judge = (list) => {
    counts.skipped = 0;
    const seen = new Set();
    const out = [];
    for (const [order, probe] of list.entries()) {
      if (!isJsonExact(probe)) {
        counts.skipped += 1;
        continue;
      }
      const key = JSON.stringify(probe);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ order, config: structuredClone(probe), valid: guard.safeParse(structuredClone(probe)).success });
    }
    return out;
  };
  let judged = judge(probes);
  if (judged.length < MIN_CONFIGS) {
    probes = [...probes, ...supplementaryProbes(sample)];
    judged = judge(probes);
  }
  // Always kept: the sample, the invalid configs, null, [], 'x', {} and each top-level key removed.
  const mustCount = 1 + invalidConfigs.length + 4;
  const removals = new Set(
    sample && typeof sample === 'object' && !Array.isArray(sample)
      ? Object.keys(sample).map((key) => {
          const { [key]: _removed, ...rest } = sample;
          return JSON.stringify(rest);
        })
      : []
  );
  const isMust = (entry) => entry.order < mustCount || removals.has(JSON.stringify(entry.config));
  const must = judged.filter(isMust);
  const rest = judged.filter((entry) => !isMust(entry));
  let chosen = judged;
  if (judged.length > MAX_CONFIGS) {
    const room = Math.max(0, MAX_CONFIGS - must.length);
    const accepted = rest.filter((entry) => entry.valid);
    const rejected = rest.filter((entry) => !entry.valid);
    let acceptedQuota = Math.min(accepted.length, Math.ceil(room / 2));
    const rejectedQuota = Math.min(rejected.length, room - acceptedQuota);
    acceptedQuota = Math.min(accepted.length, room - rejectedQuota);
    const picked = [
      ...spread(accepted.length, acceptedQuota).map((i) => accepted[i]),
      ...spread(rejected.length, rejectedQuota).map((i) => rejected[i]),
    ];
    chosen = [...must, ...picked].sort((a, b) => a.order - b.order);
  }
  return chosen.map(({ config, valid }) => ({ config, valid }));
}

/**
 * URL cases: the sample with each url()-checked value replaced by each odd URL (probes.mjs),
 * all kept, with the guard's verdict and its issues (zod's, JSON round-tripped) so the replay
 * also checks which of url() and endsWith()/startsWith() failed.
 */
function urlCases(spec, sample, guard) {
  return urlProbes({ configSchema: spec.configSchema, sampleConfig: sample }).map((config) => {
    const result = guard.safeParse(structuredClone(config));
    const issues = result.success ? [] : JSON.parse(JSON.stringify(result.error.issues));
    return { config, valid: result.success, issues };
  });
}

const withTimeout = (promise, ms, what) => {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};

/** The expected answer for one case: `{ expect, randomParams }`, or `{ skip: reason }`. */
async function expectedAnswer(spec, config, input) {
  if (spec.source.kind !== 'npm') {
    return { expect: buildAuthorizationUri(spec.authorization, config, input), randomParams: [] };
  }
  const what = `${spec.factoryId} getAuthorizationUri`;
  const ask = (pkg, config, input) => withTimeout(realAuthorizationUri(pkg, config, input), AUTH_TIMEOUT_MS, what);
  return realAnswer(spec.source.package, config, input, ask);
}

/** One corpus case; `randomParams` names the real URL's random query parameters, if any. */
const caseOf = (config, input, answer) => {
  if (answer.randomParams.length === 0) return { config, input, expect: answer.expect };
  // Random values (checked by realAnswer to be fresh UUID v4s) are stored as `<random>`, so
  // that the files stay deterministic.
  const redirectTo = maskParams(answer.expect.redirectTo, answer.randomParams);
  return { config, input, expect: { redirectTo }, randomParams: answer.randomParams };
};

/**
 * Cases: authCases() (as check-authorization.mjs: sample and optional keys removed x
 * AUTH_INPUTS, plus the hand-written extra cases), then other accepted corpus configs with the
 * first input, one per distinct answer, at most EXTRA_AUTH_CONFIGS of them (spread over
 * generation order). For npm packages the expected answer is the package's; where the manifest
 * rule answers differently a NOTE is printed (the case is kept).
 */
async function authorizationCases(spec, configs, problems) {
  if (spec.source.kind !== 'npm' && !spec.authorization) {
    problems.push(`${spec.factoryId}: not on npm and no authorization rule, no authorization cases`);
    return [];
  }
  const cases = [];
  const seenAnswers = new Set();
  const first = { ...AUTH_INPUTS[0], connectorId: 'instance-id', connectorFactoryId: spec.factoryId };
  const base = authCases(spec).map(({ config, input }) => ({ config: JSON.parse(JSON.stringify(config)), input }));
  for (const { config, input } of base) {
    const answer = await expectedAnswer(spec, config, input);
    if (answer.skip) {
      problems.push(`${spec.factoryId}: ${answer.skip}, case skipped`);
      continue;
    }
    if (JSON.stringify(input) === JSON.stringify(first)) seenAnswers.add(answerKey(answer));
    cases.push(caseOf(config, input, answer));
  }

  const known = new Set(base.map(({ config }) => JSON.stringify(config)));
  const distinct = [];
  for (const { config, valid } of configs) {
    if (!valid || !config || typeof config !== 'object' || Array.isArray(config)) continue;
    if (known.has(JSON.stringify(config))) continue;
    const answer = await expectedAnswer(spec, config, first);
    if (answer.skip) continue;
    const key = answerKey(answer);
    if (seenAnswers.has(key)) continue;
    seenAnswers.add(key);
    distinct.push(caseOf(config, first, answer));
  }
  for (const i of spread(distinct.length, EXTRA_AUTH_CONFIGS)) cases.push(distinct[i]);

  if (spec.source.kind === 'npm' && spec.authorization) {
    for (const { config, input, expect, randomParams } of cases) {
      const ours = buildAuthorizationUri(spec.authorization, config, input);
      if (!sameAnswer(ours, expect, randomParams)) {
        problems.push(
          `${spec.factoryId}: rule differs from the package (case kept with the package's answer)\n` +
            `    config ${JSON.stringify(config)}\n    input  ${JSON.stringify(input)}\n` +
            `    rule   ${JSON.stringify(ours)}\n    real   ${JSON.stringify(expect)}`
        );
      }
    }
  }
  return cases;
}

/** What makes an answer new: the answer, its random parameters masked (else every one is). */
const answerKey = (answer) =>
  answer.randomParams.length > 0
    ? maskParams(answer.expect.redirectTo, answer.randomParams)
    : JSON.stringify(answer.expect);

function packageVersion(pkg) {
  const file = path.join(here, 'node_modules', pkg, 'package.json');
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

mkdirSync(corpusDir, { recursive: true });
let errors = 0;
const notes = [];
for (const spec of SPECS) {
  const id = spec.factoryId;
  try {
    const { guard, connector } = await guardFor(spec);
    if (!guard) throw new Error('no zod guard (Logto-source spec without a rebuilt guard in probes.mjs)');
    const type = connector?.type ?? spec.type;
    // The manifest holds the spec's values after a JSON round trip; probe those.
    const sample = JSON.parse(JSON.stringify(spec.sampleConfig));
    const invalidConfigs = JSON.parse(JSON.stringify(spec.invalidConfigs ?? []));
    const counts = { skipped: 0 };
    const configs = selectConfigs(spec, sample, invalidConfigs, guard, counts);
    const corpus = {
      factoryId: id,
      source:
        spec.source.kind === 'npm'
          ? `${spec.source.package}@${packageVersion(spec.source.package)}`
          : 'logto-source (rebuilt guard)',
      configs,
    };
    const urls = urlCases(spec, sample, guard);
    if (urls.length > 0) corpus.urls = urls;
    const problems = [];
    if (type === 'Social') corpus.authorization = await authorizationCases(spec, configs, problems);
    writeFileSync(path.join(corpusDir, `${id}.json`), toJson(corpus));
    const accepted = configs.filter((entry) => entry.valid).length;
    const auth = corpus.authorization ? `, ${corpus.authorization.length} authorization cases` : '';
    const urlNote = corpus.urls ? `, ${corpus.urls.length} URL cases` : '';
    const skipped = counts.skipped > 0 ? `, ${counts.skipped} non-JSON probes skipped` : '';
    const low = configs.length < MIN_CONFIGS ? ' (FEWER THAN 30)' : '';
    console.log(
      `wrote ${id}.json: ${configs.length} configs (${accepted} accepted, ${configs.length - accepted} rejected)${low}${auth}${urlNote}${skipped}`
    );
    if (accepted === 0 || accepted === configs.length) problems.push(`${id}: configs are all ${accepted ? 'accepted' : 'rejected'}`);
    notes.push(...problems);
  } catch (error) {
    errors += 1;
    console.error(`FAIL ${id}: ${error.stack ?? error.message}`);
  }
}
for (const note of notes) console.log(`NOTE ${note}`);
console.log(errors === 0 ? `${SPECS.length} corpus file(s) written to ${path.relative(process.cwd(), corpusDir)}` : `${errors} factory(ies) failed`);
process.exit(errors === 0 ? 0 : 1);
