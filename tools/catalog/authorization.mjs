// The manifest `authorization` rule, evaluated in JavaScript exactly as the Rust server
// evaluates it (src/factories/authorization/), plus helpers that ask the real connector
// package for its authorization URI and compare answers. Dev-time only.

import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

/** The real package would throw: Logto answers 500. */
class Thrown extends Error {}

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

const urlPart = (text, part) => {
  let url;
  try {
    url = new URL(text);
  } catch (error) {
    throw new Thrown(`TypeError: Invalid URL ${JSON.stringify(text)}`);
  }
  if (part === 'protocol') return url.protocol;
  if (part === 'host') return url.host === '' ? undefined : url.host;
  if (part === 'firstPathSegment') return url.pathname.split('/').find((segment) => segment !== '');
  throw new Error(`unknown urlPart ${part}`);
};

/** The text of one kind of source (before modifiers); undefined = absent. */
function kindText(source, config, input) {
  if ('value' in source) return source.value;
  if ('input' in source) return input[source.input];
  if ('config' in source) return asText(valueAt(config, source.config), source.join);
  if ('header' in source) return input.headers?.[source.header.toLowerCase()];
  if ('random' in source) return randomUUID();
  if ('pathJoin' in source) {
    return path.posix.join(...source.pathJoin.map((part) => evaluateSource(part, config, input) ?? ''));
  }
  if ('items' in source) {
    const pieces = [];
    for (const item of source.items) {
      const text = evaluateSource(item, config, input);
      if (text === undefined) continue;
      for (let piece of source.split === undefined ? [text] : text.split(source.split)) {
        if (source.trim) piece = piece.trim();
        if (piece === '' || (source.unique && pieces.includes(piece))) continue;
        pieces.push(piece);
      }
    }
    return pieces.length === 0 ? undefined : pieces.join(source.join ?? ',');
  }
  if ('if' in source) {
    const branch = conditionHolds(source.if, config, input) ? source.then : source.else;
    return branch === undefined ? undefined : evaluateSource(branch, config, input);
  }
  throw new Error(`unknown value source ${JSON.stringify(source)}`);
}

/** Evaluates one value source; undefined = leave the parameter out. */
export function evaluateSource(source, config, input) {
  let text = kindText(source, config, input);
  if (text !== undefined && source.map) text = source.map[text];
  if (text !== undefined && source.urlPart) text = urlPart(text, source.urlPart);
  if (text !== undefined && source.lowercase) text = text.toLowerCase();
  return text ?? source.default;
}

/** Whether a condition holds; an absent text never matches. */
export function conditionHolds(condition, config, input) {
  const text = evaluateSource(condition.text, config, input);
  if (text === undefined) return false;
  if ('contains' in condition) return text.includes(condition.contains);
  if ('in' in condition) return condition.in.includes(text);
  if ('notIn' in condition) return !condition.notIn.includes(text);
  throw new Error(`unknown condition ${JSON.stringify(condition)}`);
}

const encoders = {
  // URLSearchParams (application/x-www-form-urlencoded serializer).
  form: (text) => new URLSearchParams([['', text]]).toString().slice(1),
  component: (text) => encodeURIComponent(text),
  raw: (text) => text,
  uriForm: (text) => new URLSearchParams([['', encodeURI(text)]]).toString().slice(1),
};

const isUrl = (text) => {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
};

/** The answer a rule gives: `{ redirectTo }`, or `{ error }` (`internal` = Logto's 500). */
export function buildAuthorizationUri(rule, config, input) {
  if (rule.type === 'notImplemented') return { error: 'connector.not_implemented' };
  if (rule.type !== 'redirect') throw new Error(`unknown authorization type ${rule.type}`);
  try {
    for (const { when, reason } of rule.throws ?? []) {
      if (conditionHolds(when, config, input)) throw new Thrown(reason ?? 'the connector throws');
    }
    const base = evaluateSource(rule.endpoint, config, input) ?? '';
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
    if (!isUrl(url)) throw new Thrown(`the response guard rejects redirectTo ${JSON.stringify(url)}`);
    return { redirectTo: url };
  } catch (error) {
    if (error instanceof Thrown) return { error: 'internal', thrown: error.message };
    throw error;
  }
}

// Errors a package throws by itself whatever the network does: Logto's error handler turns
// them into 500 `{"message":"Internal server error."}`. Anything else (an MSAL network
// failure such as `endpoints_resolution_error`) depends on the machine and is thrown on.
const DETERMINISTIC_THROWS = new Set(['TypeError', 'RangeError', 'ClientConfigurationError']);

/**
 * Asks the real package, with what Logto's route passes: `{ redirectTo }`,
 * `{ error: 'connector.<code>' }` for a ConnectorError, `{ error: 'internal', thrown }` for
 * a throw Logto answers 500 to (also when `redirectTo` fails Logto's response guard).
 */
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
        headers: { userAgent: input.headers?.['user-agent'] },
      },
      setSession
    );
    if (!isUrl(redirectTo)) return { error: 'internal', thrown: 'response guard: redirectTo is not a URL' };
    return { redirectTo };
  } catch (error) {
    if (Object.values(ConnectorErrorCodes).includes(error?.code)) {
      return { error: `connector.${error.code}` };
    }
    if (DETERMINISTIC_THROWS.has(error?.name) || DETERMINISTIC_THROWS.has(error?.constructor?.name)) {
      return { error: 'internal', thrown: `${error.constructor.name}: ${error.errorCode ?? error.message}` };
    }
    throw error;
  }
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const queryOf = (url) => new URL(url).searchParams;

/**
 * The real answer, asked twice: `{ expect, randomParams }` where randomParams names the query
 * parameters that differ between the two calls (each must be a random UUID v4 both times), or
 * `{ skip: reason }`.
 */
export async function realAnswer(pkg, config, input, ask = realAuthorizationUri) {
  let first;
  let second;
  try {
    first = await ask(pkg, config, input);
    second = await ask(pkg, config, input);
  } catch (error) {
    return { skip: `real getAuthorizationUri failed: ${error.message}` };
  }
  if (JSON.stringify(first) === JSON.stringify(second)) return { expect: first, randomParams: [] };
  if (!first.redirectTo || !second.redirectTo) return { skip: `real answer not deterministic (${JSON.stringify(first)})` };
  const [a, b] = [queryOf(first.redirectTo), queryOf(second.redirectTo)];
  const randomParams = [...new Set([...a.keys(), ...b.keys()])].filter((key) => a.get(key) !== b.get(key));
  const masked = (url) => maskParams(url, randomParams);
  const allUuids = randomParams.every((key) => UUID_V4.test(a.get(key) ?? '') && UUID_V4.test(b.get(key) ?? ''));
  if (!allUuids || masked(first.redirectTo) !== masked(second.redirectTo)) {
    return { skip: `real answer not deterministic (${JSON.stringify(first)})` };
  }
  return { expect: first, randomParams };
}

/** The URL with each named query parameter's value replaced by `<random>` (raw text, no re-encoding). */
export function maskParams(url, names) {
  if (names.length === 0) return url;
  return url.replace(/([?&])([^=&#]*)=([^&#]*)/g, (whole, lead, name, value) =>
    names.includes(decodeURIComponent(name)) ? `${lead}${name}=<random>` : whole
  );
}

/** Whether our answer matches the real one, random parameters aside (ours must be UUID v4s too). */
export function sameAnswer(ours, expect, randomParams = []) {
  if (expect.error || ours.error) return ours.error === expect.error;
  if (randomParams.length > 0) {
    const query = queryOf(ours.redirectTo);
    if (!randomParams.every((key) => UUID_V4.test(query.get(key) ?? ''))) return false;
  }
  return maskParams(ours.redirectTo, randomParams) === maskParams(expect.redirectTo, randomParams);
}
