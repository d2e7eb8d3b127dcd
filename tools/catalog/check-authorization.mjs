// Dev-time checker: for every social spec from npm, the manifest's `authorization` rule
// must build exactly the URL the real package's getAuthorizationUri returns (or the same
// error), for the sample config and a few variations.
// Usage: node check-authorization.mjs [factoryId ...]   (exit code 1 on any mismatch)
import { buildAuthorizationUri, realAuthorizationUri } from './authorization.mjs';
import { loadConnector } from './dump-metadata.mjs';
import { SPECS } from './specs.mjs';

export const AUTH_INPUTS = [
  { state: 'state-123', redirectUri: 'https://app.example.com/callback' },
  { state: 'a b&c=d/é', redirectUri: 'http://localhost:3000/cb?x=1&y=two words' },
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
    for (const config of authConfigs(spec)) {
      for (const base of AUTH_INPUTS) {
        const input = { ...base, connectorId: 'instance-id', connectorFactoryId: spec.factoryId };
        const ours = buildAuthorizationUri(spec.authorization, config, input);
        let real;
        try {
          real = await realAuthorizationUri(spec.source.package, config, input);
        } catch (error) {
          console.log(`note ${spec.factoryId}: the package itself fails (${error.message}); Logto would answer 500`);
          continue;
        }
        checked += 1;
        if (JSON.stringify(ours) !== JSON.stringify(real)) {
          failures += 1;
          console.log(`DIFF ${spec.factoryId}\n  config ${JSON.stringify(config)}\n  input  ${JSON.stringify(input)}\n  ours   ${JSON.stringify(ours)}\n  real   ${JSON.stringify(real)}`);
        }
      }
    }
  }
  console.log(`${checked} authorization cases checked, ${failures} problems`);
  process.exit(failures > 0 ? 1 : 0);
}
