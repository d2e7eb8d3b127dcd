// Dev-time checker for fixtures/<factory-id>/.
//
// 1. Layout: manifest key order, 2-space JSON + trailing newline, referenced files exist,
//    logos < 1 KB, README 5-20 lines, metadata == the npm package's (name, formItems, flags).
// 2. JSON Schema (ajv, draft 2020-12): compiles, sampleConfig + config-template.json valid,
//    every invalidConfigs entry invalid.
// 3. Agreement with zod: the real package configGuard (npm connectors) or a zod guard
//    rebuilt from Logto's source (mock connectors) must accept/reject exactly what the
//    JSON Schema accepts/rejects, on the sample, the invalid configs and a generated set of
//    mutations (each key removed, each value replaced by wrong types, extra keys, array
//    elements removed, enum values swapped in; see probes.mjs, shared with make-corpus.mjs).
// Usage: node check-fixtures.mjs [fixturesDir]   (exit code 1 on any failure)
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { generateProbes, guardFor, urlProbes } from './probes.mjs';
import { addZodStringChecks } from './schema-helpers.mjs';
import { SPECS } from './specs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(process.argv[2] ?? path.join(here, '../../fixtures'));

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
addZodStringChecks(ajv);

let failures = 0;
const fail = (msg) => {
  failures += 1;
  console.error(`FAIL ${msg}`);
};

const MANIFEST_KEYS = ['type', 'metadata', 'configSchema', 'sampleConfig', 'invalidConfigs'];
const METADATA_ORDER = [
  'id', 'target', 'platform', 'name', 'description', 'logo', 'logoDark', 'readme',
  'configTemplate', 'formItems', 'isStandard', 'isTokenStorageSupported', 'customData',
];

for (const spec of SPECS) {
  const id = spec.factoryId;
  const dir = path.join(fixturesDir, id);
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    fail(`${id}: missing manifest.json`);
    continue;
  }
  const text = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(text);
  if (text !== `${JSON.stringify(manifest, null, 2)}\n`) fail(`${id}: manifest not 2-space JSON + newline`);
  const expectedKeys = manifest.authorization ? [...MANIFEST_KEYS, 'authorization'] : MANIFEST_KEYS;
  if (JSON.stringify(Object.keys(manifest)) !== JSON.stringify(expectedKeys)) fail(`${id}: manifest key order`);
  const meta = manifest.metadata;
  const metaKeys = Object.keys(meta);
  const expectedOrder = METADATA_ORDER.filter((k) => metaKeys.includes(k));
  if (JSON.stringify(metaKeys) !== JSON.stringify(expectedOrder)) fail(`${id}: metadata key order ${metaKeys}`);
  if (meta.id !== id) fail(`${id}: metadata.id`);
  if (typeof meta.description?.en !== 'string') fail(`${id}: description.en`);

  // Referenced files.
  for (const key of ['logo', 'logoDark', 'readme', 'configTemplate']) {
    if (meta[key] && !existsSync(path.join(dir, meta[key]))) fail(`${id}: ${key} file ${meta[key]} missing`);
  }
  for (const f of ['logo.svg', 'README.md', 'config-template.json']) {
    if (!existsSync(path.join(dir, f))) fail(`${id}: ${f} missing`);
  }
  for (const f of ['logo.svg', 'logo-dark.svg']) {
    const p = path.join(dir, f);
    if (existsSync(p) && statSync(p).size >= 1024) fail(`${id}: ${f} >= 1 KB`);
  }
  const readmeLines = readFileSync(path.join(dir, 'README.md'), 'utf8').trimEnd().split('\n').length;
  if (readmeLines < 5 || readmeLines > 20) fail(`${id}: README has ${readmeLines} lines`);

  // Metadata vs the real package / Logto source.
  const { guard, source, connector } = await guardFor(spec);
  if (!guard) {
    fail(`${id}: no zod guard (add a rebuilt guard to probes.mjs MOCK_GUARDS)`);
    continue;
  }
  if (spec.source.kind === 'npm') {
    const pm = connector.metadata;
    if (manifest.type !== connector.type) fail(`${id}: type ${manifest.type} != ${connector.type}`);
    for (const key of ['id', 'target', 'platform', 'name', 'formItems', 'isStandard', 'isTokenStorageSupported', 'customData']) {
      if (JSON.stringify(meta[key]) !== JSON.stringify(pm[key])) fail(`${id}: metadata.${key} differs from package`);
    }
    if (Boolean(meta.logoDark) !== Boolean(pm.logoDark)) fail(`${id}: logoDark presence differs`);
    if (Boolean(meta.configTemplate) !== Boolean(pm.configTemplate)) fail(`${id}: configTemplate presence differs`);
  } else {
    if (manifest.type !== spec.type) fail(`${id}: type`);
    for (const [key, value] of Object.entries(spec.metadata)) {
      if (key === 'configTemplate') continue;
      if (JSON.stringify(meta[key]) !== JSON.stringify(value)) fail(`${id}: metadata.${key}`);
    }
    if (!meta.configTemplate) fail(`${id}: configTemplate missing`);
  }

  // JSON Schema checks.
  let validate;
  try {
    validate = ajv.compile(manifest.configSchema);
  } catch (error) {
    fail(`${id}: schema does not compile: ${error.message}`);
    continue;
  }
  if (!validate(manifest.sampleConfig)) fail(`${id}: sampleConfig invalid: ${ajv.errorsText(validate.errors)}`);
  const template = JSON.parse(readFileSync(path.join(dir, 'config-template.json'), 'utf8'));
  if (!validate(template)) fail(`${id}: config-template.json invalid`);
  if (manifest.invalidConfigs.length < 2 || manifest.invalidConfigs.length > 4) fail(`${id}: invalidConfigs count`);
  manifest.invalidConfigs.forEach((c, i) => {
    if (validate(c)) fail(`${id}: invalidConfigs[${i}] passes the schema`);
    if (guard.safeParse(c).success) fail(`${id}: invalidConfigs[${i}] passes the zod guard`);
  });
  if (!guard.safeParse(manifest.sampleConfig).success) fail(`${id}: sampleConfig rejected by zod`);

  // Agreement on generated probes.
  const probes = [...generateProbes(id, manifest), ...urlProbes(manifest)];
  let accepted = 0;
  let mismatches = 0;
  for (const probe of probes) {
    const input = structuredClone(probe);
    const bySchema = validate(input);
    const byZod = guard.safeParse(structuredClone(probe)).success;
    if (bySchema) accepted += 1;
    if (bySchema !== byZod) {
      mismatches += 1;
      if (mismatches <= 5) fail(`${id}: schema=${bySchema} zod=${byZod} on ${JSON.stringify(probe).slice(0, 300)}`);
    }
  }
  if (mismatches > 5) fail(`${id}: ... ${mismatches} mismatches in total`);
  console.log(
    `${mismatches === 0 ? 'ok  ' : 'BAD '} ${id}: ${probes.length} probes (${accepted} accepted, ${probes.length - accepted} rejected) agree with ${source}`
  );
}

console.log(failures === 0 ? 'all fixtures OK' : `${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
