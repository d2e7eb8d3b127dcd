// Dev-time helper: load each installed @logto connector package, call its
// default export (CreateConnector) and print { type, metadata, hasConfigGuard }
// as JSON. Usage: node dump-metadata.mjs [outfile]
import { writeFileSync } from 'node:fs';

import { readFileSync } from 'node:fs';

// Every connector package listed in package.json (connector-kit is a library).
export const PACKAGES = Object.keys(
  JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).dependencies
).filter((name) => name.startsWith('@logto/connector-') && name !== '@logto/connector-kit');

export async function loadConnector(pkg) {
  const mod = await import(pkg);
  const create = mod.default;
  // CreateConnector<T>: ({ getConfig, getCloudServiceClient?, getI18nEmailTemplate? }) => Promise<T>
  return create({ getConfig: async () => ({}) });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = {};
  for (const pkg of PACKAGES) {
    const c = await loadConnector(pkg);
    out[pkg] = { type: c.type, metadata: c.metadata, hasConfigGuard: Boolean(c.configGuard) };
  }
  const text = JSON.stringify(out, null, 2) + '\n';
  if (process.argv[2]) writeFileSync(process.argv[2], text);
  else process.stdout.write(text);
}
