// Config probes shared by check-fixtures.mjs (schema/zod agreement) and make-corpus.mjs
// (differential corpus for the Rust tests). Dev-time only.
//
// - MOCK_GUARDS: zod guards of Logto's four test connectors (not on npm), rebuilt by hand.
// - generateProbes(): the sample, the invalid configs, a few non-objects, generated
//   mutations of the sample (each key removed, each value replaced by wrong types, extra
//   keys, array elements removed or replaced, enum values swapped in) and hand-written
//   extras, in a fixed order.
// - guardFor(): the zod guard a spec is judged by (the real package's, or a rebuilt one).
import { templateTypeGuard } from '@logto/connector-kit';
import { z } from 'zod';

import { loadConnector } from './dump-metadata.mjs';

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
export const MOCK_GUARDS = {
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
export const EXTRA_PROBES = {
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

export const WRONG_VALUES = [null, 0, 1.5, -7, 'x', '', true, false, [], {}, ['x'], { a: 'b' }];

export function collectEnumStrings(schema, out = new Set()) {
  if (Array.isArray(schema)) schema.forEach((s) => collectEnumStrings(s, out));
  else if (schema && typeof schema === 'object') {
    if (Array.isArray(schema.enum)) schema.enum.forEach((v) => typeof v === 'string' && out.add(v));
    if (typeof schema.const === 'string') out.add(schema.const);
    Object.values(schema).forEach((v) => collectEnumStrings(v, out));
  }
  return out;
}

// Generate mutated copies of `value`, recursing into objects and arrays.
export function mutations(value, enumStrings, depth = 0) {
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

/** Every probe for one factory, in a fixed order (duplicates included). */
export function generateProbes(factoryId, { configSchema, sampleConfig, invalidConfigs }) {
  const enumStrings = collectEnumStrings(configSchema);
  return [
    sampleConfig,
    ...invalidConfigs,
    null, [], 'x', {},
    ...mutations(sampleConfig, enumStrings),
    ...(EXTRA_PROBES[factoryId]?.(sampleConfig) ?? []),
  ];
}

/**
 * The zod guard a spec is judged by: `{ guard, source, connector }` where `connector` is the
 * created npm connector (undefined for Logto-source specs) and `guard` is undefined when a
 * Logto-source spec has no rebuilt guard here.
 */
export async function guardFor(spec) {
  if (spec.source.kind === 'npm') {
    const connector = await loadConnector(spec.source.package);
    return { guard: connector.configGuard, source: `${spec.source.package} configGuard`, connector };
  }
  return { guard: MOCK_GUARDS[spec.factoryId], source: 'zod guard rebuilt from Logto source' };
}
