// Dev-time generator: writes fixtures/<factory-id>/{manifest.json,logo.svg,README.md,
// config-template.json} from specs.mjs. Metadata of published connectors is read from
// the installed npm packages (createConnector(...).metadata), so name / formItems / flags
// are exactly the package's. Usage: node build-fixtures.mjs [fixturesDir]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadConnector } from './dump-metadata.mjs';
import { SPECS } from './specs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(process.argv[2] ?? path.join(here, '../../fixtures'));

// Metadata keys we know how to carry over; anything else is reported.
const KNOWN_KEYS = new Set([
  'id',
  'target',
  'platform',
  'name',
  'description',
  'logo',
  'logoDark',
  'readme',
  'configTemplate',
  'formItems',
  'isStandard',
  'isTokenStorageSupported',
  'customData',
]);

const toJson = (value) => `${JSON.stringify(value, null, 2)}\n`;

const escapeXml = (text) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const logoSvg = ({ letters, color, textColor = '#ffffff' }) => {
  const fontSize = letters.length >= 3 ? 20 : letters.length === 2 ? 26 : 34;
  const baseline = 32 + Math.round(fontSize * 0.36);
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">' +
    `<rect x="2" y="2" width="60" height="60" rx="14" fill="${color}"/>` +
    `<text x="32" y="${baseline}" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" ` +
    `font-size="${fontSize}" font-weight="700" fill="${textColor}">${escapeXml(letters)}</text>` +
    '</svg>\n'
  );
};

// Fail loudly if a value would be silently changed by JSON.stringify.
const assertJsonSafe = (value, where) => {
  if (value === undefined) throw new Error(`${where}: undefined value`);
  if (typeof value === 'function') throw new Error(`${where}: function value`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${where}: ${value}`);
  if (Array.isArray(value)) value.forEach((v, i) => assertJsonSafe(v, `${where}[${i}]`));
  else if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new Error(`${where}: non-plain object`);
    for (const [k, v] of Object.entries(value)) assertJsonSafe(v, `${where}.${k}`);
  }
};

const buildMetadata = (pkgMeta, spec) => {
  const unknown = Object.keys(pkgMeta).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) console.warn(`${spec.factoryId}: metadata keys not carried: ${unknown}`);
  const has = (key) => Object.prototype.hasOwnProperty.call(pkgMeta, key);
  const meta = {
    id: pkgMeta.id,
    target: pkgMeta.target,
    platform: pkgMeta.platform ?? null,
    name: pkgMeta.name,
    description: { en: spec.description },
    logo: './logo.svg',
    logoDark: pkgMeta.logoDark ? './logo-dark.svg' : null,
    readme: './README.md',
  };
  if (has('configTemplate') && pkgMeta.configTemplate) meta.configTemplate = './config-template.json';
  if (has('formItems')) meta.formItems = pkgMeta.formItems;
  if (has('isStandard')) meta.isStandard = pkgMeta.isStandard;
  if (has('isTokenStorageSupported')) meta.isTokenStorageSupported = pkgMeta.isTokenStorageSupported;
  if (has('customData')) meta.customData = pkgMeta.customData;
  assertJsonSafe(meta, `${spec.factoryId}.metadata`);
  return meta;
};

for (const spec of SPECS) {
  let type;
  let pkgMeta;
  if (spec.source.kind === 'npm') {
    const connector = await loadConnector(spec.source.package);
    type = connector.type;
    pkgMeta = connector.metadata;
    if (pkgMeta.id !== spec.factoryId) {
      throw new Error(`${spec.source.package}: id ${pkgMeta.id} != ${spec.factoryId}`);
    }
  } else {
    type = spec.type;
    pkgMeta = {
      ...spec.metadata,
      configTemplate: spec.metadata.configTemplate ? './docs/config-template.json' : undefined,
    };
    if (!spec.metadata.configTemplate) delete pkgMeta.configTemplate;
  }

  const manifest = {
    type,
    metadata: buildMetadata(pkgMeta, spec),
    configSchema: spec.configSchema,
    sampleConfig: spec.sampleConfig,
    invalidConfigs: spec.invalidConfigs,
    ...(spec.authorization ? { authorization: spec.authorization } : {}),
    ...(spec.emailTemplates ? { emailTemplates: true } : {}),
  };
  assertJsonSafe(manifest, spec.factoryId);

  const dir = path.join(fixturesDir, spec.factoryId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'manifest.json'), toJson(manifest));
  writeFileSync(path.join(dir, 'config-template.json'), toJson(spec.sampleConfig));
  writeFileSync(path.join(dir, 'README.md'), `${spec.readme.join('\n')}\n`);
  writeFileSync(path.join(dir, 'logo.svg'), logoSvg(spec.logo));
  if (manifest.metadata.logoDark) {
    const dark = spec.logoDarkStyle ?? { ...spec.logo, color: '#e8e8e8', textColor: '#1a1a1a' };
    writeFileSync(path.join(dir, 'logo-dark.svg'), logoSvg(dark));
  }
  console.log(`wrote ${path.relative(process.cwd(), dir)}`);
}
