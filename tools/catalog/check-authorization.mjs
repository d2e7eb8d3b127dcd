// Dev-time checker: for every social spec from npm, the manifest's `authorization` rule
// must give exactly the answer the real package's getAuthorizationUri gives (the URL, or the
// same error; random query parameters such as MSAL's client-request-id aside, as long as ours
// are random UUIDs too), for the sample config, each optional key removed, three request
// inputs and the factory's extra cases below.
// Usage: node check-authorization.mjs [factoryId ...]   (exit code 1 on any mismatch)
import { buildAuthorizationUri, realAnswer, sameAnswer } from './authorization.mjs';
import { loadConnector } from './dump-metadata.mjs';
import { SPECS } from './specs.mjs';

/** A User-Agent of the WeCom app (wecom picks its in-app URL for `wxwork`). */
export const WXWORK_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh';

export const AUTH_INPUTS = [
  { state: 'state-123', redirectUri: 'https://app.example.com/callback' },
  { state: 'a b&c=d/é', redirectUri: 'http://localhost:3000/cb?x=1&y=two words' },
  { state: 'state-123', redirectUri: 'https://app.example.com/callback', headers: { 'user-agent': WXWORK_AGENT } },
];

/** Configs to try: the sample, plus each optional key of the sample removed. */
export function authConfigs(spec) {
  const required = new Set(spec.configSchema.required ?? []);
  const configs = [spec.sampleConfig];
  for (const key of Object.keys(spec.sampleConfig)) {
    if (required.has(key)) continue;
    const copy = structuredClone(spec.sampleConfig);
    delete copy[key];
    configs.push(copy);
  }
  return configs;
}

const agent = (userAgent) => ({ headers: { 'user-agent': userAgent } });

/**
 * Hand-written cases per factory: `[configChanges, inputChanges]` applied to the sample and
 * the first input. They cover what the rules read beyond the sample: MSAL's authority, scopes
 * and prompt check for azuread (some throw: Logto answers 500; hosts MSAL would look up over
 * the network are skipped), and the User-Agent test of wecom.
 */
export const EXTRA_AUTH_CASES = {
  'azuread-universal': [
    [{ cloudInstance: 'https://login.microsoftonline.us', tenantId: 'organizations' }],
    [{ tenantId: '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c' }],
    [{ tenantId: 'Contoso.OnMicrosoft.com' }],
    [{ cloudInstance: 'https://login.microsoftonline.com/', tenantId: '/consumers/' }],
    [{ cloudInstance: 'HTTPS://LOGIN.MICROSOFTONLINE.COM' }],
    [{ cloudInstance: 'https://login.microsoftonline.com:443' }],
    [{ cloudInstance: 'https:login.microsoftonline.com' }],
    [{ cloudInstance: ' https://login.microsoftonline.com\\' }],
    [{ tenantId: 'common/../organizations' }],
    [{ tenantId: 'a b/ü?x=1#y' }],
    [{ tenantId: '/' }],
    [{ scopes: 'Mail.Read  openid User.Read\tCalendars.Read\u00a0 mail.read' }],
    [{ scopes: 'User.Read offline_access' }],
    [{ prompts: ['login'] }],
    [{ prompts: ['none'] }],
    [{ prompts: ['consent'] }],
    [{ prompts: ['login', 'consent'] }],
    [{ prompts: ['select_account', 'select_account'] }],
    [{ prompts: ['none', 'login', 'consent', 'select_account'] }],
    [{ cloudInstance: 'http://login.microsoftonline.com' }],
    [{ cloudInstance: 'login.microsoftonline.com' }],
    [{ tenantId: '..' }],
    [{ cloudInstance: 'https://login.chinacloudapi.cn' }],
    [{ cloudInstance: 'https://login.microsoftonline.com:8443' }],
  ],
  'wecom-universal': [
    [{}, agent('Mozilla/5.0 wxwork/4.1')],
    [{}, agent('Mozilla/5.0 (Windows NT 10.0) WXWork/4.1.3 Chrome/86')],
    [{}, agent('Mozilla/5.0 MicroMessenger/8.0.40 NetType/WIFI')],
    [{}, agent('wxwor k')],
    [{}, agent('')],
    [{}, agent('WXWOR\u212a')],
    [{ scope: 'snsapi_base' }, agent('wxwork')],
  ],
};

/** Every case for one spec: `{ config, input }` with the connector ids filled in. */
export function authCases(spec) {
  const inputFor = (base) => ({ ...base, connectorId: 'instance-id', connectorFactoryId: spec.factoryId });
  const cases = [];
  for (const config of authConfigs(spec)) {
    for (const base of AUTH_INPUTS) cases.push({ config, input: inputFor(base) });
  }
  for (const [configChanges, inputChanges] of EXTRA_AUTH_CASES[spec.factoryId] ?? []) {
    cases.push({
      config: { ...structuredClone(spec.sampleConfig), ...configChanges },
      input: inputFor({ ...AUTH_INPUTS[0], ...inputChanges }),
    });
  }
  return cases;
}

const only = new Set(process.argv.slice(2));
let failures = 0;
let checked = 0;
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const spec of SPECS) {
    if (only.size > 0 && !only.has(spec.factoryId)) continue;
    const type =
      spec.type ?? (spec.source.kind === 'npm' ? (await loadConnector(spec.source.package)).type : undefined);
    if (type !== 'Social') continue;
    if (!spec.authorization) {
      console.log(`MISSING ${spec.factoryId}: no authorization rule`);
      failures += 1;
      continue;
    }
    if (spec.source.kind !== 'npm') {
      console.log(`skip ${spec.factoryId}: not on npm (checked by hand)`);
      continue;
    }
    for (const { config, input } of authCases(spec)) {
      const ours = buildAuthorizationUri(spec.authorization, config, input);
      const real = await realAnswer(spec.source.package, config, input);
      if (real.skip) {
        console.log(`note ${spec.factoryId}: ${real.skip} (config ${JSON.stringify(config)})`);
        continue;
      }
      checked += 1;
      if (!sameAnswer(ours, real.expect, real.randomParams)) {
        failures += 1;
        console.log(`DIFF ${spec.factoryId}\n  config ${JSON.stringify(config)}\n  input  ${JSON.stringify(input)}\n  ours   ${JSON.stringify(ours)}\n  real   ${JSON.stringify(real.expect)}`);
      }
    }
  }
  console.log(`${checked} authorization cases checked, ${failures} problems`);
  process.exit(failures > 0 ? 1 : 0);
}
