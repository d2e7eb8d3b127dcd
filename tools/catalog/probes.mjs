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

// Odd strings for config keys checked with zod's url() (`format: "url"` in the manifests):
// spaces and controls, backslashes, bad percent-escapes, IPv4/IPv6 literals, IDNA hosts,
// forbidden host code points, ports, schemes. JavaScript's `new URL()` (WHATWG) decides, not
// RFC 3986. Left out, because Node 20's URL parser (Ada 2.9) and the Rust `url` crate judge
// them differently and the crate follows the current standard (UTS 46 as the WHATWG URL
// Standard asks): `https://xn--zz-.mailgun.net` (an xn-- label that decodes to ASCII) and
// `https://a\u05d0.mailgun.net` (a label mixing left-to-right and right-to-left letters).
export const ODD_URLS = [
  // plain and near-plain
  'https://api.mailgun.net', 'https://api.eu.mailgun.net', 'HTTPS://API.MAILGUN.NET', 'https://api.mailgun.net/', 'https://api.mailgun.net/v3',
  'api.mailgun.net', '//api.mailgun.net', '/v3', '', 'https:', 'https://', 'https:///api.mailgun.net', 'http:api.mailgun.net', 'https:api.mailgun.net',
  // spaces, tabs, newlines, controls
  ' https://api.mailgun.net', 'https://api.mailgun.net ', 'https://api .mailgun.net', 'https://api.mailgun.net/a b.mailgun.net', 'https://api\t.mailgun.net',
  'https://api.mail\ngun.net', 'ht\ttps://api.mailgun.net', '\u0000https://api.mailgun.net', 'https://api.mailgun.net\u0000', 'https://a\u0000b.mailgun.net',
  '\u00a0https://api.mailgun.net', 'https://api.mailgun.net\u3000', 'ht tps://api.mailgun.net', 'https://user name@api.mailgun.net', 'https://u:p w@api.mailgun.net',
  // backslashes
  'https:\\\\api.mailgun.net', 'https:/\\api.mailgun.net', 'https://api.mailgun.net\\x.mailgun.net', 'foo:\\\\api.mailgun.net', 'https://a\\b@api.mailgun.net',
  // percent escapes
  'https://api.mailgun.net/%zz.mailgun.net', 'https://api%zz.mailgun.net', 'https://%61pi.mailgun.net', 'https://api%2Emailgun.net', 'https://api%2emailgun%2enet',
  'https://%E2%98%83.mailgun.net', 'https://%ff.mailgun.net', 'https://a%00.mailgun.net', 'https://api.mailgun.net/%', 'https://api.mailgun.net?%zz.mailgun.net',
  'https://api.mailgun.net#%zz.mailgun.net', 'https://%25.mailgun.net', 'https://a%20b.mailgun.net',
  // IPv4 / IPv6
  'https://[::1]', 'https://[::1]/.mailgun.net', 'https://[::1', 'https://[::1]x.mailgun.net', 'https://[1:2:3:4:5:6:7:8:9]/.mailgun.net', 'https://[::ffff:1.2.3.4]/.mailgun.net',
  'https://[::1.2.3]/.mailgun.net', 'https://[fe80::1%25eth0]/.mailgun.net', 'https://[0:0::0:0:8]/.mailgun.net', 'https://[::g]/.mailgun.net', 'https://[]/.mailgun.net',
  'https://1.2.3.4/.mailgun.net', 'https://0x7f.1/.mailgun.net', 'https://1.2.3.256/.mailgun.net', 'https://999999999999/.mailgun.net', 'https://09/.mailgun.net',
  'https://1.2.3.4.5/.mailgun.net', 'https://0x/.mailgun.net', 'https://1.2.3.09/.mailgun.net', 'https://4294967295/.mailgun.net', 'https://4294967296/.mailgun.net',
  'https://a.1/.mailgun.net', 'https://1.mailgun.net', 'https://api.mailgun.0x1', 'foo://[::1/.mailgun.net', 'foo://1.2.3.256/.mailgun.net',
  // IDNA
  'https://bücher.mailgun.net', 'https://BÜCHER.mailgun.net', 'https://ß.mailgun.net', 'https://☃.mailgun.net', 'https://💩.mailgun.net', 'https://ＡＰＩ.mailgun.net',
  'https://api。mailgun.net', 'https://xn--ls8h.mailgun.net', 'https://XN--LS8H.mailgun.net', 'https://xn--a.mailgun.net', 'https://xn--.mailgun.net',
  'https://xn--a-ecp.mailgun.net', 'https://a\u200db.mailgun.net', 'https://a\u200cb.mailgun.net', 'https://a\u00adb.mailgun.net', 'https://\u200b.mailgun.net',
  'https://א1.mailgun.net', 'https://-api.mailgun.net', 'https://api-.mailgun.net', 'https://ab--c.mailgun.net', 'https://a_b.mailgun.net',
  `https://${'a'.repeat(64)}.mailgun.net`, `https://${'a.'.repeat(130)}mailgun.net`, 'https://.mailgun.net', 'https://a..mailgun.net', 'https://api.mailgun.net.',
  'https://\u0130.mailgun.net', 'https://\u212a.mailgun.net', 'https://\ufdd0.mailgun.net', 'https://\u0378.mailgun.net', 'https://a\u0301.mailgun.net', 'https://\u0301a.mailgun.net',
  'https://ⓐ.mailgun.net', 'https://a⁄b.mailgun.net', 'https://a／b.mailgun.net', 'https://a%EF%BC%8Fb.mailgun.net', 'https://①.mailgun.net', 'https://ﬀ.mailgun.net',
  // forbidden host code points
  'https://a<b.mailgun.net', 'https://a^b.mailgun.net', 'https://a|b.mailgun.net', 'https://a%b.mailgun.net', 'https://a*b.mailgun.net', "https://a'b.mailgun.net",
  'https://a{b.mailgun.net', 'https://a"b.mailgun.net', 'https://a`b.mailgun.net', 'https://a~b.mailgun.net', 'https://a$b.mailgun.net', 'https://a!b.mailgun.net',
  // ports
  'https://api.mailgun.net:', 'https://api.mailgun.net:/v3', 'https://api.mailgun.net:443', 'https://api.mailgun.net:0443', 'https://api.mailgun.net:65535', 'https://api.mailgun.net:65536',
  'https://api.mailgun.net:-1', 'https://api.mailgun.net:8a', 'https://api.mailgun.net: 80', 'https://api.mailgun.net:00000000000000000000080', 'https://:80', 'https://@api.mailgun.net', 'https://@',
  'https://u@:80', 'foo://api.mailgun.net:99999',
  // schemes and odd forms
  'mailto:ops@api.mailgun.net', 'foo:.mailgun.net', 'javascript:alert(1)//.mailgun.net', 'file:///C:/x.mailgun.net', 'file://host/x.mailgun.net', 'file:', 'data:,x.mailgun.net',
  'blob:https://api.mailgun.net', 'a:', '1https://api.mailgun.net', '+a://api.mailgun.net', 'a+b-c.d://api.mailgun.net', 'ftp://api.mailgun.net', 'ws://api.mailgun.net',
  'https://api.mailgun.net/../..', 'https://api.mailgun.net/%2e%2E/x', 'https://api.mailgun.net?#', 'non-special://', 'non-special://@/x', 'sc://ñ.mailgun.net', 'sc://a b/',
  'sc://%/', 'sc://a%zz/', 'sc://[::1]x/', 'sc://\u0000/', 'https://api.mailgun.net/\ud83d\ude00',
];

/** Paths (arrays of keys) of the string properties a schema checks with `format: "url"`. */
export function urlPaths(schema, prefix = []) {
  const out = [];
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (property?.format === 'url') out.push([...prefix, key]);
    if (property?.type === 'object') out.push(...urlPaths(property, [...prefix, key]));
  }
  return out;
}

/** The sample config with each url()-checked value replaced by each odd URL, in a fixed order. */
export function urlProbes({ configSchema, sampleConfig }) {
  const probes = [];
  for (const path of urlPaths(configSchema)) {
    for (const url of ODD_URLS) {
      const config = structuredClone(sampleConfig);
      let parent = config;
      for (const key of path.slice(0, -1)) parent = parent[key];
      parent[path.at(-1)] = url;
      probes.push(config);
    }
  }
  return probes;
}

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
