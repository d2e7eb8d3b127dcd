// The manifest `authorization` rule, evaluated in JavaScript exactly as the Rust server
// evaluates it (src/connectors/authorization.rs), plus a helper that asks the real
// connector package for its authorization URI. Dev-time only.

import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

const valueAt = (config, dotted) =>
  dotted.split('.').reduce((value, key) => (value == null ? undefined : value[key]), config);

const asText = (value, join) => {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    const parts = value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
    return parts.length === 0 ? undefined : parts.join(join ?? ',');
  }
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** Evaluates one value source; undefined = leave the parameter out. */
export function evaluateSource(source, config, input) {
  if ('value' in source) return source.value;
  if ('input' in source) return input[source.input];
  if ('config' in source) {
    let text = asText(valueAt(config, source.config), source.join);
    if (text !== undefined && source.map) text = source.map[text];
    return text ?? source.default;
  }
  throw new Error(`unknown value source ${JSON.stringify(source)}`);
}

const encoders = {
  // URLSearchParams (application/x-www-form-urlencoded serializer).
  form: (text) => new URLSearchParams([['', text]]).toString().slice(1),
  component: (text) => encodeURIComponent(text),
  raw: (text) => text,
  uriForm: (text) => new URLSearchParams([['', encodeURI(text)]]).toString().slice(1),
};

/** The URL a `redirect` rule builds, or `{ error }` for `notImplemented`. */
export function buildAuthorizationUri(rule, config, input) {
  if (rule.type === 'notImplemented') return { error: 'connector.not_implemented' };
  if (rule.type !== 'redirect') throw new Error(`unknown authorization type ${rule.type}`);
  const base = evaluateSource(rule.endpoint, config, input);
  const pairs = [];
  for (const [name, source, options] of rule.query) {
    const text = evaluateSource(source, config, input);
    if (text === undefined) continue;
    const encode = encoders[options?.encoding ?? rule.encoding ?? 'form'];
    pairs.push(`${encoders[rule.encoding ?? 'form'](name)}=${encode(text)}`);
  }
  let url = base;
  if (pairs.length > 0) url += (base.includes('?') ? '&' : '?') + pairs.join('&');
  if (rule.fragment) url += `#${rule.fragment}`;
  return { redirectTo: url };
}

/** Asks the real package: `{ redirectTo }`, or `{ error: 'connector.<code>' }`. */
export async function realAuthorizationUri(pkg, config, input) {
  const mod = await import(pkg);
  const connector = await mod.default({ getConfig: async () => config });
  const setSession = async () => {
    throw new ConnectorError('not_implemented');
  };
  try {
    const redirectTo = await connector.getAuthorizationUri(
      {
        state: input.state,
        redirectUri: input.redirectUri,
        connectorId: input.connectorId,
        connectorFactoryId: input.connectorFactoryId,
        jti: '',
        headers: {},
      },
      setSession
    );
    return { redirectTo };
  } catch (error) {
    // Only connector errors are answers (Logto maps them to connector.<code>); anything
    // else (a TypeError, an MSAL error) would be a 500 in Logto and is thrown on.
    if (Object.values(ConnectorErrorCodes).includes(error?.code)) {
      return { error: `connector.${error.code}` };
    }
    throw error;
  }
}
