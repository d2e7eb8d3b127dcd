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
//    elements removed, enum values swapped in).
// Usage: node check-fixtures.mjs [fixturesDir]   (exit code 1 on any failure)
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { templateTypeGuard } from '@logto/connector-kit';
import { z } from 'zod';

import { loadConnector } from './dump-metadata.mjs';
import { SPECS } from './specs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(process.argv[2] ?? path.join(here, '../../fixtures'));

// zod guards of Logto's test connectors, rebuilt from
// packages/connectors/connector-mock-*/src/types.ts (logto-io/logto).
const mockMailTemplateGuard = z.object({
  usageType: templateTypeGuard,
  type: z.enum(['text/plain', 'text/html']),
  subject: z.string(),
  content: z.string(),
});
const mockMailConfigGuard = z.object({
  apiKey: z.string(),
  fromEmail: z.string(),
  fromName: z.string().optional(),
  templates: z.array(mockMailTemplateGuard),
});
const MOCK_GUARDS = {
  'mock-email-service': mockMailConfigGuard,
  'mock-email-service-alternative': mockMailConfigGuard.partial(),
  'mock-short-message-service': z.object({
    accountSID: z.string(),
    authToken: z.string(),
    fromMessagingServiceSID: z.string(),
    templates: z.array(z.object({ usageType: templateTypeGuard, content: z.string() })),
  }),
  'mock-social-connector': z.object({ clientId: z.string(), clientSecret: z.string() }),
};

// Hand-written probes on top of the generated mutations.
const EXTRA_PROBES = {
  oidc: (s) => [
    { ...s, idTokenVerificationConfig: { ...s.idTokenVerificationConfig, currentDate: '2024-01-01T00:00:00Z' } },
    { ...s, idTokenVerificationConfig: { ...s.idTokenVerificationConfig, crit: { b64: true } } },
    { ...s, idTokenVerificationConfig: { ...s.idTokenVerificationConfig, crit: { b64: 'true' } } },
    { ...s, idTokenVerificationConfig: { ...s.idTokenVerificationConfig, issuer: ['a', 'b'], audience: [] } },
    { ...s, idTokenVerificationConfig: { ...s.idTokenVerificationConfig, issuer: ['a', 1] } },
    { ...s, idTokenVerificationConfig: { ...s.idTokenVerificationConfig, maxTokenAge: '1h' } },
    { ...s, responseType: 'code', grantType: 'authorization_code' },
    { ...s, grantType: 'client_credentials' },
    { ...s, scope: '' },
    { ...s, customConfig: { a: 'b', c: 'd' } },
    { ...s, tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretJwtSigningAlgorithm: 'HS512' },
  ],
  oauth2: (s) => [
    { ...s, profileMap: {} },
    { ...s, profileMap: { id: 'sub', extra: 1 } },
    { ...s, customConfig: { a: 'b' } },
    { ...s, grantType: 'authorization_code', responseType: 'code' },
  ],
  'google-universal': (s) => [
    { ...s, prompts: [] },
    { ...s, prompts: ['none', 'login', 'consent', 'select_account'] },
    { ...s, oneTap: {} },
    { ...s, oneTap: { isEnabled: true, other: 'x' } },
  ],
  'simple-mail-transfer-protocol': (s) => {
    const auths = [
      {},
      { type: 'LOGIN' },
      { user: 'u', pass: 'p', extra: 'x' },
      { type: 'oauth2', user: 'u', pass: 'p' },
      { type: 'OAuth2', user: 'u', privateKey: 'k', serviceClient: 'c' },
      { user: 'u', privateKey: { key: 'k', passphrase: 'p' }, serviceClient: 'c' },
      { user: 'u', privateKey: { key: 'k' }, serviceClient: 'c' },
      { user: 'u', privateKey: 5, serviceClient: 'c' },
      { type: 'OAUTH2', user: 'u', clientId: 'c', clientSecret: 's', refreshToken: 'r', expires: 1 },
      { user: 'u', expires: '1' },
      { type: 'oauth2' },
      { type: 'login', user: 'u', privateKey: 'k', serviceClient: 'c' },
      { type: 'xoauth', user: 'u' },
    ];
    return [
      ...auths.map((auth) => ({ ...s, auth })),
      { ...s, tls: { rejectUnauthorized: false } },
      { ...s, tls: [] },
      { ...s, customHeaders: { 'X-A': ['1', '2'], 'X-B': 'c' } },
      { ...s, customHeaders: { 'X-A': 1 } },
      { ...s, templates: [...s.templates, { ...s.templates[0], usageType: 'Anything' }] },
      { ...s, port: 587.5 },
    ];
  },
  'twilio-short-message-service': (s) => [
    { ...s, templates: [...s.templates, { usageType: 'Whatever', content: 'x' }] },
    { ...s, templates: s.templates.map((t) => ({ ...t, extra: 1 })) },
  ],
  'mock-email-service-alternative': () => [{}, { templates: [] }, { fromName: 'x' }],
  'mock-email-service': (s) => [{ ...s, templates: [] }],
  'mock-short-message-service': (s) => [{ ...s, templates: [] }],
};

const WRONG_VALUES = [null, 0, 1.5, -7, 'x', '', true, false, [], {}, ['x'], { a: 'b' }];

function collectEnumStrings(schema, out = new Set()) {
  if (Array.isArray(schema)) schema.forEach((s) => collectEnumStrings(s, out));
  else if (schema && typeof schema === 'object') {
    if (Array.isArray(schema.enum)) schema.enum.forEach((v) => typeof v === 'string' && out.add(v));
    if (typeof schema.const === 'string') out.add(schema.const);
    Object.values(schema).forEach((v) => collectEnumStrings(v, out));
  }
  return out;
}

// Generate mutated copies of `value`, recursing into objects and arrays.
function mutations(value, enumStrings, depth = 0) {
  const out = [];
  if (depth > 4) return out;
  if (Array.isArray(value)) {
    out.push([]);
    value.forEach((item, i) => {
      out.push(value.filter((_, j) => j !== i));
      for (const w of WRONG_VALUES) out.push(value.map((v, j) => (j === i ? w : v)));
      for (const m of mutations(item, enumStrings, depth + 1)) {
        out.push(value.map((v, j) => (j === i ? m : v)));
      }
    });
  } else if (value && typeof value === 'object') {
    out.push({ ...value, __unknownKey: 'x' });
    for (const key of Object.keys(value)) {
      const { [key]: _removed, ...rest } = value;
      out.push(rest);
      for (const w of WRONG_VALUES) out.push({ ...value, [key]: w });
      for (const m of mutations(value[key], enumStrings, depth + 1)) out.push({ ...value, [key]: m });
    }
  } else if (typeof value === 'string') {
    for (const e of enumStrings) if (e !== value) out.push(e);
  }
  return out;
}

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);

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
  let guard;
  let source;
  if (spec.source.kind === 'npm') {
    const connector = await loadConnector(spec.source.package);
    guard = connector.configGuard;
    source = `${spec.source.package} configGuard`;
    const pm = connector.metadata;
    if (manifest.type !== connector.type) fail(`${id}: type ${manifest.type} != ${connector.type}`);
    for (const key of ['id', 'target', 'platform', 'name', 'formItems', 'isStandard', 'isTokenStorageSupported', 'customData']) {
      if (JSON.stringify(meta[key]) !== JSON.stringify(pm[key])) fail(`${id}: metadata.${key} differs from package`);
    }
    if (Boolean(meta.logoDark) !== Boolean(pm.logoDark)) fail(`${id}: logoDark presence differs`);
    if (Boolean(meta.configTemplate) !== Boolean(pm.configTemplate)) fail(`${id}: configTemplate presence differs`);
  } else {
    guard = MOCK_GUARDS[id];
    source = 'zod guard rebuilt from Logto source';
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
  const enumStrings = collectEnumStrings(manifest.configSchema);
  const probes = [
    manifest.sampleConfig,
    ...manifest.invalidConfigs,
    null, [], 'x', {},
    ...mutations(manifest.sampleConfig, enumStrings),
    ...(EXTRA_PROBES[id]?.(manifest.sampleConfig) ?? []),
  ];
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
