// connector-mock console: one page over the public API (/api) and the harness routes
// (/_mock). No framework and no network beyond this server: the page is embedded in the
// binary and works offline. Sections: settings and session, API client, small DOM helpers,
// views (connectors, factories, connector form, outbox, requests, faults, tenant), router.

// ---------------------------------------------------------------------------------------
// Settings from the server (a JSON <meta>) and the session
// ---------------------------------------------------------------------------------------

/** `{tenant, prefix, authMode, resource, defaultClient, version}` from the page's meta tag. */
const settings = (() => {
  const meta = document.querySelector('meta[name="connector-mock-console"]');
  try {
    return JSON.parse(meta.content);
  } catch {
    return { tenant: 'default', prefix: '', authMode: 'none', resource: '', defaultClient: null };
  }
})();

/** The access token lives here only (never in storage); so do the credentials that refresh it. */
const session = { token: null, expiresAt: 0, clientId: '', clientSecret: '', timer: 0 };

/** Refresh this long before a token expires. */
const REFRESH_MARGIN_MS = 60_000;
/** How often open outbox lists ask for new messages. */
const OUTBOX_POLL_MS = 2_000;
/** Marks the console's own requests, so the Requests view can hide them. */
const CONSOLE_HEADER = 'x-connector-mock-console';

const needsLogin = () => settings.authMode === 'token' && !session.token;

// ---------------------------------------------------------------------------------------
// API client
// ---------------------------------------------------------------------------------------

/**
 * Calls the server under the tenant's prefix. Resolves to `{ok, status, data}` (never
 * rejects): `data` is the parsed JSON body (or null), `status` 0 when the server is unreachable.
 */
async function api(method, path, { body, contentType = 'application/json', background = false } = {}) {
  if (settings.authMode === 'token' && session.token && Date.now() > session.expiresAt - REFRESH_MARGIN_MS) {
    await refreshToken();
  }
  const headers = { accept: 'application/json', [CONSOLE_HEADER]: background ? 'background' : 'user' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const init = { method, headers };
  if (body !== undefined) {
    headers['content-type'] = contentType;
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(settings.prefix + path, init);
  } catch (error) {
    return { ok: false, status: 0, data: { message: `The server cannot be reached (${error.message}).` } };
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text };
    }
  }
  if (response.status === 401 && settings.authMode === 'token' && !path.startsWith('/oidc/')) {
    endSession('The token was refused; sign in again.');
  }
  return { ok: response.ok, status: response.status, data };
}

/** The body's message, prefixed by its Logto code when it has one. */
function errorText(result) {
  if (result.status === 0) return result.data.message;
  const data = result.data ?? {};
  const message = data.message ?? data.error_description ?? `HTTP ${result.status}`;
  const code = data.code ?? data.error;
  return code ? `${message} (${code}, HTTP ${result.status})` : `${message} (HTTP ${result.status})`;
}

/** Asks `/oidc/token` for a token with the client credentials; returns an error text or null. */
async function requestToken(clientId, clientSecret) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', resource: settings.resource, scope: 'all' });
  let response;
  try {
    response = await fetch(`${settings.prefix}/oidc/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
        [CONSOLE_HEADER]: 'user',
      },
      body: form.toString(),
    });
  } catch (error) {
    return `The server cannot be reached (${error.message}).`;
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok || !data.access_token) {
    return data.error_description ?? data.message ?? `The token request failed (HTTP ${response.status}).`;
  }
  Object.assign(session, {
    token: data.access_token,
    expiresAt: Date.now() + data.expires_in * 1000,
    clientId,
    clientSecret,
  });
  clearTimeout(session.timer);
  const wait = Math.max(5_000, data.expires_in * 1000 - REFRESH_MARGIN_MS);
  session.timer = setTimeout(refreshToken, wait);
  return null;
}

/** Gets a fresh token before the current one expires; a refusal ends the session. */
async function refreshToken() {
  if (!session.clientId) return;
  const error = await requestToken(session.clientId, session.clientSecret);
  if (error) endSession(`The token could not be renewed: ${error}`);
}

function endSession(why) {
  clearTimeout(session.timer);
  Object.assign(session, { token: null, expiresAt: 0, timer: 0 });
  route(why);
}

// ---------------------------------------------------------------------------------------
// DOM helpers
// ---------------------------------------------------------------------------------------

/** `h('button', {type: 'button', onclick}, 'Save')`: an element with attributes and children. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name in element && typeof element[name] !== 'function' && !name.startsWith('aria-') && name !== 'list') {
      element[name] = value;
    } else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

let nextId = 0;
const uniqueId = (stem) => `${stem}-${++nextId}`;

const main = () => document.getElementById('main');

/** Replaces the main area's content and moves focus to its heading (for keyboard users). */
function show(...children) {
  const area = main();
  area.replaceChildren(...children.flat());
  stopDetachedPolls();
  const heading = area.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

/** A short message in the live region at the top. */
function notify(message, kind = 'ok') {
  const notice = document.getElementById('notice');
  notice.className = `notice notice-${kind}`;
  notice.textContent = message;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => {
    notice.textContent = '';
    notice.className = 'notice';
  }, 6_000);
}

/** A visible error box (`role=alert`). */
const alertBox = (message) => h('p', { className: 'alert', role: 'alert' }, message);

/** A phrase object (`{en: …, de: …}`) in the browser's language, else English. */
function phrase(value) {
  if (!value || typeof value !== 'object') return value ?? '';
  for (const language of navigator.languages ?? []) {
    if (value[language]) return value[language];
    const base = language.split('-')[0];
    if (value[base]) return value[base];
  }
  return value.en ?? Object.values(value)[0] ?? '';
}

function logo(item, size = 40) {
  const source = item.logo ?? '';
  if (source.startsWith('data:') || source.startsWith('/')) {
    return h('img', { className: 'logo', src: source, alt: '', width: size, height: size });
  }
  // Remote logos would need the network (and the CSP forbids them): show initials instead.
  return h('span', { className: 'logo logo-initials', 'aria-hidden': 'true' }, phrase(item.name).slice(0, 2));
}

const typeLabel = (type) => ({ Social: 'Social', Email: 'Email', Sms: 'SMS' })[type] ?? type;
const time = (iso) => (iso ? new Date(iso).toLocaleString() : '');
const pretty = (value) => JSON.stringify(value, null, 2);

// ---------------------------------------------------------------------------------------
// Data shared by the views
// ---------------------------------------------------------------------------------------

let factoriesCache = null;

async function loadFactories() {
  if (factoriesCache) return { ok: true, data: factoriesCache };
  const result = await api('GET', '/api/connector-factories');
  if (result.ok) factoriesCache = result.data;
  return result;
}

const factoryById = (id) => factoriesCache?.find((factory) => factory.id === id);

// ---------------------------------------------------------------------------------------
// Sign-in (token mode)
// ---------------------------------------------------------------------------------------

function loginView(reason) {
  const client = settings.defaultClient ?? { id: '', secret: '' };
  const idInput = h('input', { id: 'login-client-id', name: 'clientId', value: client.id, required: true, autocomplete: 'username' });
  const secretInput = h('input', {
    id: 'login-client-secret', name: 'clientSecret', type: 'password', value: client.secret, required: true, autocomplete: 'current-password',
  });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', {
    className: 'card login',
    onsubmit: async (event) => {
      event.preventDefault();
      status.replaceChildren();
      const error = await requestToken(idInput.value, secretInput.value);
      if (error) status.replaceChildren(alertBox(error));
      else route();
    },
  },
  h('h1', {}, 'Sign in'),
  h('p', {}, `This server checks tokens ([auth] mode = "token"). The console asks /oidc/token for one with a machine-to-machine client's credentials and keeps it in memory only, for tenant "${settings.tenant}".`),
  settings.defaultClient ? h('p', { className: 'hint' }, 'Prefilled with the default client because the server listens on a loopback address.') : null,
  reason ? alertBox(reason) : null,
  h('div', { className: 'field' }, h('label', { htmlFor: 'login-client-id' }, 'Client ID'), idInput),
  h('div', { className: 'field' }, h('label', { htmlFor: 'login-client-secret' }, 'Client secret'), secretInput),
  status,
  h('div', { className: 'actions' }, h('button', { type: 'submit', className: 'primary' }, 'Sign in')));
  show(form);
}

function renderSession() {
  const area = document.getElementById('session');
  if (settings.authMode !== 'token') {
    area.replaceChildren(h('span', { className: 'badge', title: 'The server runs with [auth] mode = "none"' }, 'No auth'));
    return;
  }
  if (!session.token) {
    area.replaceChildren(h('span', { className: 'badge' }, 'Signed out'));
    return;
  }
  area.replaceChildren(
    h('span', { className: 'badge' }, `Client ${session.clientId}`),
    h('button', { type: 'button', className: 'link', onclick: () => endSession('Signed out.') }, 'Sign out'),
  );
}

// ---------------------------------------------------------------------------------------
// Connectors list
// ---------------------------------------------------------------------------------------

async function connectorsView() {
  const [connectors] = await Promise.all([api('GET', '/api/connectors'), loadFactories()]);
  if (!connectors.ok) return show(h('h1', {}, 'Connectors'), alertBox(errorText(connectors)));
  const rows = connectors.data.map((connector) => {
    const name = phrase(connector.name);
    return h('li', { className: 'row', dataset: { connectorId: connector.id } },
      logo(connector, 32),
      h('div', { className: 'row-main' },
        h('a', { href: `#/connectors/${encodeURIComponent(connector.id)}`, className: 'row-title' }, name),
        h('span', { className: 'row-meta' },
          `${typeLabel(connector.type)} · ${connector.connectorId} · id `, h('code', {}, connector.id),
          connector.metadata?.target ? ` · target ${connector.metadata.target}` : '')),
      h('div', { className: 'row-actions' },
        h('a', { className: 'button', href: `#/connectors/${encodeURIComponent(connector.id)}`, 'aria-label': `Edit ${name} (${connector.id})` }, 'Edit'),
        h('button', { type: 'button', className: 'danger', 'aria-label': `Delete ${name} (${connector.id})`, onclick: () => deleteConnector(connector) }, 'Delete')));
  });
  show(
    h('div', { className: 'view-head' },
      h('h1', {}, 'Connectors'),
      h('a', { className: 'button primary', href: '#/factories' }, 'New connector')),
    rows.length
      ? h('ul', { className: 'rows', 'aria-label': 'Connectors' }, rows)
      : h('p', { className: 'empty' }, 'No connectors yet. Pick a factory to create one.'),
  );
}

async function deleteConnector(connector) {
  const name = phrase(connector.name);
  if (!window.confirm(`Delete the connector ${name} (${connector.id})?`)) return;
  const result = await api('DELETE', `/api/connectors/${encodeURIComponent(connector.id)}`);
  if (!result.ok) return notify(`Not deleted: ${errorText(result)}`, 'error');
  notify(`Deleted ${name} (${connector.id}).`);
  if (location.hash === '#/connectors') route();
  else location.hash = '#/connectors';
}

// ---------------------------------------------------------------------------------------
// Factory gallery
// ---------------------------------------------------------------------------------------

const FACTORY_GROUPS = [['Social', 'Social'], ['Email', 'Email'], ['Sms', 'SMS']];

async function factoriesView() {
  const result = await loadFactories();
  if (!result.ok) return show(h('h1', {}, 'Factories'), alertBox(errorText(result)));
  const search = h('input', { id: 'factory-search', type: 'search', placeholder: 'Name, id, target or description', autocomplete: 'off' });
  const count = h('p', { className: 'hint', 'aria-live': 'polite' });
  const groups = FACTORY_GROUPS.map(([type, title]) => {
    const cards = factoriesCache.filter((factory) => factory.type === type).map(factoryCard);
    const list = h('ul', { className: 'cards' }, cards);
    const section = h('section', { 'aria-label': `${title} factories` }, h('h2', {}, `${title}`), list);
    return { section, cards };
  });
  const filter = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const { section, cards } of groups) {
      let visible = 0;
      for (const card of cards) {
        const match = words.every((word) => card.dataset.search.includes(word));
        card.hidden = !match;
        visible += match ? 1 : 0;
      }
      section.hidden = visible === 0;
      shown += visible;
    }
    count.textContent = `${shown} of ${factoriesCache.length} factories`;
  };
  search.addEventListener('input', filter);
  show(
    h('div', { className: 'view-head' }, h('h1', {}, 'Factories')),
    h('div', { className: 'field search' }, h('label', { htmlFor: 'factory-search' }, 'Search factories'), search),
    count,
    groups.map(({ section }) => section),
  );
  filter();
}

function factoryCard(factory) {
  const name = phrase(factory.name);
  const haystack = [factory.id, factory.target, name, phrase(factory.description), factory.platform, typeLabel(factory.type)]
    .filter(Boolean).join(' ').toLowerCase();
  return h('li', { className: 'card factory', dataset: { factoryId: factory.id, search: haystack } },
    h('div', { className: 'card-head' },
      logo(factory),
      h('div', {},
        h('h3', {}, name),
        h('span', { className: 'row-meta' }, h('code', {}, factory.id)))),
    h('p', { className: 'description' }, phrase(factory.description)),
    h('p', { className: 'tags' },
      h('span', { className: 'badge' }, typeLabel(factory.type)),
      factory.platform ? h('span', { className: 'badge' }, factory.platform) : null,
      factory.isStandard ? h('span', { className: 'badge' }, 'Standard') : null,
      factory.isDemo ? h('span', { className: 'badge' }, 'Demo') : null),
    h('a', { className: 'button', href: `#/new/${encodeURIComponent(factory.id)}`, 'aria-label': `Create a ${name} connector` }, 'Create connector'));
}

// ---------------------------------------------------------------------------------------
// Config fields generated from formItems
// ---------------------------------------------------------------------------------------

/** Is a form item shown, given the current values? As in Logto's console: every condition's
 * target field must hold exactly its `expectValue`. */
function conditionsHold(item, values) {
  return (item.showConditions ?? []).every(({ targetKey, expectValue }) => sameJson(values[targetKey], expectValue));
}

const sameJson = (left, right) => JSON.stringify(left) === JSON.stringify(right);

/**
 * The config part of the form: one field per form item. Both config editors (this one and
 * `jsonConfigEditor`) offer `element`, `read()`, `edited(stored)`, `placeError(key, message)`
 * and `clearErrors()`.
 */
function configFields(items, config) {
  const fields = items.map((item) => configField(item, config[item.key]));
  const container = h('div', { className: 'config-fields' }, fields.map((field) => field.element));
  const current = () => Object.fromEntries(fields.map((field) => [field.item.key, field.read().value]));
  const refresh = () => {
    const values = current();
    for (const field of fields) field.element.hidden = !conditionsHold(field.item, values);
  };
  container.addEventListener('input', refresh);
  container.addEventListener('change', refresh);
  refresh();
  /** `{config, problems}`: the config from the visible fields, and fields that cannot be read. */
  const read = () => {
    const values = current();
    const out = {};
    const problems = [];
    for (const field of fields) {
      if (!conditionsHold(field.item, values)) continue;
      const { value, problem } = field.read();
      if (problem) problems.push({ key: field.item.key, message: problem });
      else if (value !== undefined) out[field.item.key] = value;
    }
    return { config: out, problems };
  };
  // What the visible fields showed before any edit: a field still showing it is left as stored.
  const baseline = read().config;
  return {
    element: container,
    read,
    /**
     * `stored` with the user's edits: keys the form does not show (not in formItems, or
     * hidden by showConditions) and fields left as they were keep their stored value.
     */
    edited(stored) {
      const after = { ...stored };
      for (const field of fields) {
        const { key } = field.item;
        const { value } = field.read();
        if (field.element.hidden || sameJson(value, baseline[key])) continue;
        if (value === undefined) delete after[key];
        else after[key] = value;
      }
      return after;
    },
    /** Shows `message` at the visible field `key`; returns that field, or null. */
    placeError(key, message) {
      const target = fields.find((field) => field.item.key === key);
      if (!target || target.element.hidden) return null;
      target.setError(message);
      return target.element;
    },
    clearErrors() {
      for (const field of fields) field.setError(null);
    },
  };
}

/** One field: `{item, element, read(), setError(message)}`. */
function configField(item, stored) {
  const id = uniqueId(`config-${item.key.replace(/[^\w-]/g, '_')}`);
  const initial = stored !== undefined ? stored : item.defaultValue;
  const describedBy = [];
  const extras = [];
  if (item.description) {
    const descriptionId = `${id}-description`;
    describedBy.push(descriptionId);
    extras.push(h('p', { className: 'hint', id: descriptionId }, item.description));
  }
  const errorId = `${id}-error`;
  const error = h('p', { className: 'field-error', id: errorId, hidden: true });
  describedBy.push(errorId);

  const { control, read } = controlFor(item, id, initial);
  const inputs = control.matches?.('input, select, textarea') ? [control] : [...control.querySelectorAll('input, select, textarea')];
  for (const input of inputs) {
    if (inputs.length === 1) input.setAttribute('aria-describedby', describedBy.join(' '));
    input.dataset.configKey = item.key;
  }
  const labelChildren = [item.label || item.key];
  if (item.required) labelChildren.push(h('span', { className: 'required', 'aria-hidden': 'true' }, ' *'));
  const tooltip = item.tooltip
    ? h('span', { className: 'tooltip', tabIndex: 0, role: 'note', title: item.tooltip, 'aria-label': `About ${item.label}: ${item.tooltip}` }, '?')
    : null;
  const grouped = item.type === 'MultiSelect';
  const label = grouped
    ? h('legend', {}, labelChildren, tooltip)
    : h('div', { className: 'label-line' }, h('label', { htmlFor: id }, labelChildren), tooltip);
  const element = grouped
    ? h('fieldset', { className: 'field', dataset: { field: `config.${item.key}` }, 'aria-describedby': describedBy.join(' ') }, label, control, extras, error)
    : h('div', { className: 'field', dataset: { field: `config.${item.key}` } }, label, control, extras, error);
  const setError = (message) => {
    error.hidden = !message;
    error.textContent = message ?? '';
    for (const input of inputs) input.toggleAttribute('aria-invalid', Boolean(message));
  };
  // An edited field loses its error: the user is fixing it.
  element.addEventListener('input', () => setError(null));
  element.addEventListener('change', () => setError(null));
  return { item, element, read, setError };
}

/** The control of one form item type and how to read its value (`{value, problem}`). */
function controlFor(item, id, initial) {
  const common = { id, name: item.key, required: Boolean(item.required), placeholder: item.placeholder ?? '' };
  switch (item.type) {
    case 'Number': {
      const input = h('input', { ...common, type: 'number', step: 'any', value: typeof initial === 'number' ? String(initial) : initial ?? '' });
      return {
        control: input,
        read: () => {
          if (input.value.trim() === '') return { value: undefined };
          const number = Number(input.value);
          return Number.isFinite(number) ? { value: number } : { problem: 'Enter a number.' };
        },
      };
    }
    case 'MultilineText': {
      const area = h('textarea', { ...common, rows: 3, value: stringValue(initial) });
      return { control: area, read: () => ({ value: area.value === '' ? undefined : area.value }) };
    }
    case 'Switch': {
      const box = h('input', { id, name: item.key, type: 'checkbox', role: 'switch', checked: initial === true });
      return { control: h('span', { className: 'switch' }, box), read: () => ({ value: box.checked }) };
    }
    case 'Select': {
      const select = h('select', { id, name: item.key, required: Boolean(item.required) },
        h('option', { value: '' }, item.placeholder || '(none)'),
        (item.selectItems ?? []).map((option) => h('option', { value: option.value, selected: option.value === initial }, option.title ?? option.value)));
      return { control: select, read: () => ({ value: select.value === '' ? undefined : select.value }) };
    }
    case 'MultiSelect': {
      const chosen = new Set(Array.isArray(initial) ? initial : []);
      const boxes = (item.selectItems ?? []).map((option) => {
        const optionId = uniqueId(`${id}-option`);
        return h('label', { className: 'check', htmlFor: optionId },
          h('input', { id: optionId, type: 'checkbox', value: option.value, checked: chosen.has(option.value) }),
          ` ${option.title ?? option.value}`);
      });
      const group = h('div', { className: 'checks', id }, boxes);
      return {
        control: group,
        read: () => {
          const values = [...group.querySelectorAll('input:checked')].map((box) => box.value);
          return { value: values.length ? values : undefined };
        },
      };
    }
    case 'Json': {
      const area = h('textarea', { ...common, rows: 6, className: 'code', spellcheck: false, value: initial === undefined ? '' : pretty(initial) });
      const check = h('p', { className: 'json-check', 'aria-live': 'polite' });
      const parse = () => {
        if (area.value.trim() === '') return { value: undefined };
        try {
          return { value: JSON.parse(area.value) };
        } catch (error) {
          return { problem: `Invalid JSON: ${error.message}` };
        }
      };
      area.addEventListener('input', () => {
        const { problem } = parse();
        check.textContent = problem ?? (area.value.trim() ? 'Valid JSON' : '');
        check.classList.toggle('bad', Boolean(problem));
      });
      return { control: h('div', {}, area, check), read: parse };
    }
    default: {
      // Text, and any type this console does not know yet.
      const input = h('input', { ...common, type: item.isConfidential ? 'password' : 'text', value: stringValue(initial), autocomplete: 'off', spellcheck: false });
      if (!item.isConfidential) return { control: input, read: () => ({ value: input.value === '' ? undefined : input.value }) };
      const toggle = h('button', {
        type: 'button', className: 'reveal', 'aria-pressed': 'false', 'aria-label': `Show ${item.label}`,
        onclick: () => {
          const reveal = input.type === 'password';
          input.type = reveal ? 'text' : 'password';
          toggle.setAttribute('aria-pressed', String(reveal));
          toggle.textContent = reveal ? 'Hide' : 'Show';
          toggle.setAttribute('aria-label', `${reveal ? 'Hide' : 'Show'} ${item.label}`);
        },
      }, 'Show');
      return { control: h('div', { className: 'secret' }, input, toggle), read: () => ({ value: input.value === '' ? undefined : input.value }) };
    }
  }
}

const stringValue = (value) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** A JSON editor for factories without formItems. */
function jsonConfigEditor(seed) {
  const id = uniqueId('config-json');
  const area = h('textarea', { id, rows: 14, className: 'code', spellcheck: false, value: seed, 'aria-describedby': `${id}-error` });
  const error = h('p', { className: 'field-error', id: `${id}-error`, hidden: true });
  const check = h('p', { className: 'json-check', 'aria-live': 'polite' });
  const parse = () => {
    if (area.value.trim() === '') return { config: {}, problems: [] };
    try {
      const value = JSON.parse(area.value);
      if (!value || typeof value !== 'object' || Array.isArray(value)) return { problems: [{ key: '', message: 'The config must be a JSON object.' }] };
      return { config: value, problems: [] };
    } catch (problem) {
      return { problems: [{ key: '', message: `Invalid JSON: ${problem.message}` }] };
    }
  };
  area.addEventListener('input', () => {
    error.hidden = true;
    area.removeAttribute('aria-invalid');
    const { problems } = parse();
    check.textContent = problems.length ? problems[0].message : 'Valid JSON';
    check.classList.toggle('bad', problems.length > 0);
  });
  const element = h('div', { className: 'field', dataset: { field: 'config' } },
    h('label', { htmlFor: id }, 'Config (JSON)'),
    h('p', { className: 'hint' }, 'This factory has no form items: edit its config as JSON.'),
    area, check, error);
  const setError = (message) => {
    error.hidden = !message;
    error.textContent = message ?? '';
    area.toggleAttribute('aria-invalid', Boolean(message));
  };
  return {
    element,
    read: parse,
    /** The config as written (what the user sees is the whole config). */
    edited: () => parse().config,
    /** Shows `message` (about `key`, if any) under the editor; returns the editor. */
    placeError(key, message) {
      setError(key ? `${key}: ${message}` : message);
      return element;
    },
    clearErrors: () => setError(null),
  };
}

// ---------------------------------------------------------------------------------------
// Merge patches (RFC 7396): only what changed
// ---------------------------------------------------------------------------------------

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The merge patch that turns `before` into `after` (undefined when they are equal). */
function mergePatch(before, after) {
  if (!isObject(before) || !isObject(after)) return sameJson(before, after) ? undefined : after;
  const patch = {};
  for (const key of Object.keys(before)) {
    if (!(key in after)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(after)) {
    if (!(key in before)) {
      patch[key] = value;
      continue;
    }
    const inner = isObject(before[key]) && isObject(value) ? mergePatch(before[key], value) : sameJson(before[key], value) ? undefined : value;
    if (inner !== undefined) patch[key] = inner;
  }
  return Object.keys(patch).length ? patch : undefined;
}

// ---------------------------------------------------------------------------------------
// Create and edit a connector
// ---------------------------------------------------------------------------------------

async function newConnectorView(factoryId) {
  const result = await loadFactories();
  if (!result.ok) return show(h('h1', {}, 'New connector'), alertBox(errorText(result)));
  const factory = factoryById(factoryId);
  if (!factory) return show(h('h1', {}, 'New connector'), alertBox(`There is no factory with the id "${factoryId}".`));
  show(connectorForm(factory, null));
}

async function editConnectorView(id) {
  const [result] = await Promise.all([api('GET', `/api/connectors/${encodeURIComponent(id)}`), loadFactories()]);
  if (!result.ok) return show(h('h1', {}, 'Connector'), alertBox(errorText(result)), h('p', {}, h('a', { href: '#/connectors' }, 'Back to the connectors')));
  const connector = result.data;
  const factory = factoryById(connector.connectorId) ?? connector;
  const panels = [];
  if (connector.type === 'Email' || connector.type === 'Sms') panels.push(testMessagePanel(connector));
  if (connector.type === 'Social') panels.push(authorizationPanel(connector));
  show(connectorForm(factory, connector), panels);
}

/**
 * The create/edit form. Creating POSTs the whole connector; saving an existing one PATCHes
 * only what changed, as a merge patch.
 */
function connectorForm(factory, connector) {
  const creating = connector === null;
  const name = phrase(factory.name);
  const config = connector?.config ?? {};
  const items = Array.isArray(factory.formItems) && factory.formItems.length ? factory.formItems : null;
  const editor = items
    ? configFields(items, config)
    : jsonConfigEditor(creating ? templateText(factory.configTemplate) : pretty(config));
  const fieldErrors = new Map();
  const summary = h('div', { className: 'form-errors', 'aria-live': 'assertive' });

  const topFields = [];
  let idInput = null;
  if (creating) {
    idInput = h('input', { id: 'connector-id', name: 'id', placeholder: 'generated when left empty', autocomplete: 'off' });
    topFields.push(simpleField('id', 'Connector ID (optional)', idInput, 'Logto generates a 12-character id; any 1–128 characters may be chosen instead.'));
  }
  let targetInput = null;
  if (factory.type === 'Social' && factory.isStandard) {
    // As in Logto, the target is chosen at creation only (connector.can_not_modify_target).
    targetInput = h('input', { id: 'connector-target', name: 'target', required: creating, readOnly: !creating, value: connector?.target ?? '', autocomplete: 'off' });
    topFields.push(simpleField('metadata.target', 'Target', targetInput, creating
      ? 'The identity provider this standard connector stands for (metadata.target); it cannot be changed later.'
      : 'Set when the connector was created; Logto does not allow changing it.', creating));
  }
  let syncInput = null;
  let tokenInput = null;
  if (factory.type === 'Social') {
    syncInput = h('input', { id: 'connector-sync-profile', type: 'checkbox', role: 'switch', checked: connector?.syncProfile === true });
    topFields.push(switchField('syncProfile', 'Sync profile at each sign-in', syncInput));
    if (factory.isTokenStorageSupported) {
      tokenInput = h('input', { id: 'connector-token-storage', type: 'checkbox', role: 'switch', checked: connector?.enableTokenStorage === true });
      topFields.push(switchField('enableTokenStorage', 'Store tokens (enableTokenStorage)', tokenInput));
    }
  }
  for (const field of topFields) fieldErrors.set(field.dataset.field, field);

  const clearErrors = () => {
    summary.replaceChildren();
    for (const field of fieldErrors.values()) setFieldError(field, null);
    editor.clearErrors();
  };

  /** Shows the server's (or the form's) problems next to their fields; the rest on top. */
  const showProblems = (problems, headline) => {
    const unplaced = [];
    let first = null;
    for (const problem of problems) {
      const placed = placeProblem(problem);
      if (placed) first ??= placed;
      else unplaced.push(problem);
    }
    summary.replaceChildren(alertBox(headline));
    if (unplaced.length) {
      summary.append(h('ul', {}, unplaced.map((problem) => h('li', {}, problem.path ? [h('code', {}, problem.path), ': '] : null, problem.message))));
    }
    (first ?? summary).scrollIntoView?.({ block: 'center' });
    first?.querySelector('input, select, textarea')?.focus();
  };

  /** `{field, message}` with `field` like `config.clientId`, `metadata.target`, `syncProfile`. */
  const placeProblem = ({ field, message }) => {
    if (!field) return null;
    if (field === 'config' || field.startsWith('config.')) return editor.placeError(field.slice('config.'.length), message);
    const top = fieldErrors.get(field);
    if (!top) return null;
    setFieldError(top, message);
    return top;
  };

  const submit = async (event) => {
    event.preventDefault();
    clearErrors();
    const read = editor.read();
    if (read.problems.length) {
      return showProblems(read.problems.map(({ key, message }) => ({ field: key ? `config.${key}` : 'config', message })), 'Fix the marked fields first.');
    }
    const result = creating ? await create(read.config) : await save();
    if (!result) return;
    if (result.ok) {
      notify(creating ? `Created ${name} (${result.data.id}).` : `Saved ${name}.`);
      if (creating) location.hash = `#/connectors/${encodeURIComponent(result.data.id)}`;
      else route();
      return;
    }
    showProblems(problemsOf(result), errorText(result));
  };

  const create = (newConfig) => {
    const body = { connectorId: factory.id, config: newConfig };
    if (idInput.value !== '') body.id = idInput.value;
    if (targetInput) body.metadata = { target: targetInput.value };
    if (syncInput) body.syncProfile = syncInput.checked;
    if (tokenInput) body.enableTokenStorage = tokenInput.checked;
    return api('POST', '/api/connectors', { body });
  };

  const save = async () => {
    const patch = {};
    const configPatch = mergePatch(config, editor.edited(config));
    if (configPatch !== undefined) patch.config = configPatch;
    if (syncInput && syncInput.checked !== connector.syncProfile) patch.syncProfile = syncInput.checked;
    if (tokenInput && tokenInput.checked !== connector.enableTokenStorage) patch.enableTokenStorage = tokenInput.checked;
    if (!Object.keys(patch).length) {
      notify('Nothing changed: nothing was sent.');
      return null;
    }
    return api('PATCH', `/api/connectors/${encodeURIComponent(connector.id)}`, { body: patch, contentType: 'application/merge-patch+json' });
  };

  const title = creating ? `New ${name} connector` : `${name}`;
  return h('form', { className: 'connector-form', noValidate: true, onsubmit: submit, 'aria-labelledby': 'form-title' },
    h('div', { className: 'view-head' },
      logo(factory),
      h('div', {},
        h('h1', { id: 'form-title' }, title),
        h('p', { className: 'row-meta' },
          `${typeLabel(factory.type)} · factory `, h('code', {}, factory.id),
          connector ? [' · id ', h('code', { 'data-testid': 'connector-id' }, connector.id)] : null))),
    summary,
    topFields.length ? h('section', { className: 'card', 'aria-label': 'Connector settings' }, h('h2', {}, 'Connector'), topFields) : null,
    h('section', { className: 'card', 'aria-label': 'Configuration' }, h('h2', {}, 'Configuration'), editor.element),
    h('div', { className: 'actions' },
      h('button', { type: 'submit', className: 'primary' }, creating ? 'Create connector' : 'Save changes'),
      h('a', { className: 'button', href: creating ? '#/factories' : '#/connectors' }, 'Cancel'),
      connector ? h('button', { type: 'button', className: 'danger', onclick: () => deleteConnector(connector) }, 'Delete connector') : null));
}

function templateText(template) {
  if (!template) return '{}';
  try {
    return pretty(JSON.parse(template));
  } catch {
    return template;
  }
}

/** Clears a top-level field's error when the user edits it. */
function clearedOnEdit(field) {
  field.addEventListener('input', () => setFieldError(field, null));
  field.addEventListener('change', () => setFieldError(field, null));
  return field;
}

function simpleField(path, labelText, input, hint, required = false) {
  const errorId = `${input.id}-error`;
  const hintId = `${input.id}-hint`;
  input.setAttribute('aria-describedby', `${hintId} ${errorId}`);
  return clearedOnEdit(h('div', { className: 'field', dataset: { field: path } },
    h('label', { htmlFor: input.id }, labelText, required ? h('span', { className: 'required', 'aria-hidden': 'true' }, ' *') : null),
    input,
    h('p', { className: 'hint', id: hintId }, hint),
    h('p', { className: 'field-error', id: errorId, hidden: true })));
}

function switchField(path, labelText, input) {
  const errorId = `${input.id}-error`;
  input.setAttribute('aria-describedby', errorId);
  return clearedOnEdit(h('div', { className: 'field field-inline', dataset: { field: path } },
    h('span', { className: 'switch' }, input),
    h('label', { htmlFor: input.id }, labelText),
    h('p', { className: 'field-error', id: errorId, hidden: true })));
}

function setFieldError(field, message) {
  const error = field.querySelector('.field-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  field.querySelector('input, select, textarea')?.toggleAttribute('aria-invalid', Boolean(message));
}

/** Where a Logto error belongs: `[{field, message, path}]` from `data.issues` and known codes. */
function problemsOf(result) {
  const data = result.data ?? {};
  const issues = Array.isArray(data.data?.issues) ? data.data.issues : [];
  const fieldOfCode = {
    'connector.should_specify_target': 'metadata.target',
    'connector.multiple_target_with_same_platform': 'metadata.target',
    'connector.can_not_modify_target': 'metadata.target',
    'connector.token_storage_not_supported': 'enableTokenStorage',
  };
  if (data.code === 'connector.invalid_config') {
    return issues.map((issue) => {
      const path = issue.path ?? [];
      return { field: path.length ? `config.${path[0]}` : 'config', path: ['config', ...path].join('.'), message: issue.message };
    });
  }
  if (issues.length) {
    return issues.map((issue) => {
      const path = issue.path ?? [];
      const field = path[0] === 'config' || path[0] === 'metadata' ? path.slice(0, 2).join('.') : String(path[0] ?? '');
      return { field: field === 'metadata' ? 'metadata.target' : field, path: path.join('.'), message: issue.message };
    });
  }
  if (fieldOfCode[data.code]) return [{ field: fieldOfCode[data.code], message: data.message }];
  return [];
}

// ---------------------------------------------------------------------------------------
// Email/SMS: test message and live outbox; Social: authorization URI
// ---------------------------------------------------------------------------------------

function testMessagePanel(connector) {
  const isSms = connector.type === 'Sms';
  const input = h('input', {
    id: 'test-recipient', name: isSms ? 'phone' : 'email', type: isSms ? 'tel' : 'email', required: true,
    placeholder: isSms ? '15551234567 (digits only)' : 'ada@example.com', autocomplete: 'off',
  });
  const status = h('div', { 'aria-live': 'polite' });
  const outbox = outboxList({ factoryId: connector.connectorId, title: 'Outbox for this factory', live: true });
  const form = h('form', {
    className: 'inline-form',
    onsubmit: async (event) => {
      event.preventDefault();
      status.replaceChildren();
      const body = { [isSms ? 'phone' : 'email']: input.value, config: connector.config };
      const result = await api('POST', `/api/connectors/${encodeURIComponent(connector.connectorId)}/test`, { body });
      if (result.ok) {
        status.replaceChildren(h('p', { className: 'ok' }, `Sent to ${input.value}: it is in the outbox below.`));
        outbox.refresh();
      } else status.replaceChildren(alertBox(errorText(result)));
    },
  },
  h('div', { className: 'field' }, h('label', { htmlFor: 'test-recipient' }, isSms ? 'Phone number' : 'Email address'), input),
  h('button', { type: 'submit', className: 'primary' }, 'Send test message'));
  return h('section', { className: 'card', 'aria-label': 'Send a test message' },
    h('h2', {}, 'Send a test message'),
    h('p', { className: 'hint' }, 'Uses the saved config. Nothing leaves the machine: the message goes to the outbox.'),
    form, status, outbox.element);
}

function authorizationPanel(connector) {
  const stateInput = h('input', { id: 'auth-state', value: crypto.randomUUID().slice(0, 8), required: true });
  const redirectInput = h('input', { id: 'auth-redirect', type: 'url', value: `${location.origin}/callback/${connector.id}`, required: true });
  const output = h('div', { 'aria-live': 'polite' });
  return h('section', { className: 'card', 'aria-label': 'Authorization URI' },
    h('h2', {}, 'Authorization URI'),
    h('p', { className: 'hint' }, 'The provider URL this connector would redirect a user to.'),
    h('form', {
      className: 'inline-form',
      onsubmit: async (event) => {
        event.preventDefault();
        const result = await api('POST', `/api/connectors/${encodeURIComponent(connector.id)}/authorization-uri`, {
          body: { state: stateInput.value, redirectUri: redirectInput.value },
        });
        if (!result.ok) return output.replaceChildren(alertBox(errorText(result)));
        const uri = String(result.data.redirectTo);
        // Only web URLs become links (a connector's rules could build any scheme).
        const linkable = /^https?:\/\//i.test(uri);
        output.replaceChildren(h('p', { className: 'uri' }, linkable
          ? h('a', { href: uri, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'authorization-uri' }, uri)
          : h('code', { 'data-testid': 'authorization-uri' }, uri)));
      },
    },
    h('div', { className: 'field' }, h('label', { htmlFor: 'auth-state' }, 'State'), stateInput),
    h('div', { className: 'field' }, h('label', { htmlFor: 'auth-redirect' }, 'Redirect URI'), redirectInput),
    h('button', { type: 'submit', className: 'primary' }, 'Get authorization URI')),
    output);
}

/** Running polls: `element` → interval timer; a poll ends when its element leaves the page. */
const polls = new Map();

function poll(element, refresh, everyMs) {
  polls.set(element, setInterval(refresh, everyMs));
}

function stopDetachedPolls() {
  for (const [element, timer] of polls) {
    if (!element.isConnected) {
      clearInterval(timer);
      polls.delete(element);
    }
  }
}

/** A list of outbox messages, newest first; `live` polls while the page is visible. */
function outboxList({ factoryId, title, live }) {
  const list = h('ol', { className: 'messages', reversed: true, 'aria-label': title });
  const status = h('p', { className: 'hint' });
  let shown = '';
  const refresh = async () => {
    if (document.visibilityState === 'hidden') return;
    const query = factoryId ? `?factoryId=${encodeURIComponent(factoryId)}` : '';
    const result = await api('GET', `/_mock/outbox${query}`, { background: true });
    if (!result.ok) return status.replaceChildren(alertBox(errorText(result)));
    const key = JSON.stringify(result.data.map((message) => message.id));
    if (key === shown) return;
    shown = key;
    status.textContent = result.data.length ? `${result.data.length} message(s)${live ? ', updated live' : ''}` : 'No messages yet.';
    list.replaceChildren(...[...result.data].reverse().map(messageItem));
  };
  const element = h('div', { className: 'outbox' }, h('h3', {}, title), status, list);
  refresh();
  if (live) poll(element, refresh, OUTBOX_POLL_MS);
  return { element, refresh };
}

function messageItem(message) {
  return h('li', { className: 'message', dataset: { to: message.to } },
    h('div', { className: 'message-head' },
      h('strong', {}, message.to),
      h('span', { className: 'row-meta' }, ` ${typeLabel(message.type)} · ${message.usageType ?? ''} · ${message.factoryId} · ${time(message.sentAt)}`)),
    message.subject ? h('p', { className: 'message-subject' }, message.subject) : null,
    h('pre', { className: 'message-content' }, message.content ?? pretty(message.payload)));
}

// ---------------------------------------------------------------------------------------
// Harness: outbox, request journal, faults, tenant and reset
// ---------------------------------------------------------------------------------------

/** A button that sends DELETE `path`, tells how it went, then runs `then` (to show the result). */
function clearButton(label, path, done, then) {
  return h('button', {
    type: 'button', className: 'danger',
    onclick: async () => {
      const result = await api('DELETE', path);
      notify(result.ok ? done : errorText(result), result.ok ? 'ok' : 'error');
      then();
    },
  }, label);
}

function outboxView() {
  const outbox = outboxList({ title: 'Messages', live: true });
  show(
    h('div', { className: 'view-head' },
      h('h1', {}, 'Outbox'),
      clearButton('Clear outbox', '/_mock/outbox', 'Outbox cleared.', outbox.refresh)),
    h('p', { className: 'hint' }, 'Every message the test endpoint "sent" in this tenant (GET /_mock/outbox).'),
    outbox.element,
  );
}

async function requestsView() {
  const method = h('select', { id: 'journal-method' }, ['', 'GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((value) => h('option', { value }, value || 'any')));
  const path = h('input', { id: 'journal-path', placeholder: '/api/connectors/*' });
  const statusInput = h('input', { id: 'journal-status', placeholder: '4xx', size: 5 });
  const hideOwn = h('input', { id: 'journal-hide-console', type: 'checkbox', checked: true });
  const list = h('ol', { className: 'journal', 'aria-label': 'Requests' });
  const message = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const query = new URLSearchParams();
    if (method.value) query.set('method', method.value);
    if (path.value) query.set('path', path.value);
    if (statusInput.value) query.set('status', statusInput.value);
    const result = await api('GET', `/_mock/requests?${query}`);
    if (!result.ok) return message.replaceChildren(alertBox(errorText(result)));
    const entries = result.data.filter((entry) => !hideOwn.checked || !fromConsole(entry)).reverse();
    message.replaceChildren(h('p', { className: 'hint' }, `${entries.length} request(s), newest first.`));
    list.replaceChildren(...entries.map(journalItem));
  };
  const filters = h('form', { className: 'filters', onsubmit: (event) => { event.preventDefault(); load(); } },
    h('div', { className: 'field' }, h('label', { htmlFor: 'journal-method' }, 'Method'), method),
    h('div', { className: 'field' }, h('label', { htmlFor: 'journal-path' }, 'Path (prefix or glob)'), path),
    h('div', { className: 'field' }, h('label', { htmlFor: 'journal-status' }, 'Status'), statusInput),
    h('div', { className: 'field field-inline' }, hideOwn, h('label', { htmlFor: 'journal-hide-console' }, "Hide the console's own requests")),
    h('button', { type: 'submit', className: 'primary' }, 'Show'));
  hideOwn.addEventListener('change', load);
  show(
    h('div', { className: 'view-head' },
      h('h1', {}, 'Requests'),
      clearButton('Clear journal', '/_mock/requests', 'Journal cleared.', load)),
    h('p', { className: 'hint' }, "This tenant's request journal (GET /_mock/requests): what your code sent, and what it got."),
    filters, message, list,
  );
  await load();
}

function fromConsole(entry) {
  const headers = entry.headers ?? {};
  return Object.keys(headers).some((name) => name.toLowerCase() === CONSOLE_HEADER);
}

function journalItem(entry) {
  const failed = entry.status >= 400;
  return h('li', { className: `journal-entry${failed ? ' failed' : ''}` },
    h('details', {},
      h('summary', {},
        h('span', { className: 'method' }, entry.method), ' ',
        h('code', {}, entry.path + (entry.query ? `?${entry.query}` : '')), ' ',
        h('span', { className: 'status' }, String(entry.status)), ' ',
        h('span', { className: 'row-meta' }, `${time(entry.time)} · ${entry.durationMs ?? '?'} ms`)),
      h('pre', { className: 'code' }, pretty({ headers: entry.headers, body: entry.body }))));
}

async function faultsView() {
  const result = await api('GET', '/_mock/faults');
  if (!result.ok) return show(h('h1', {}, 'Faults'), alertBox(errorText(result)));
  const rules = result.data.map(({ remaining, ...rule }) => (remaining === null || remaining === undefined ? rule : { ...rule, times: remaining }));
  const area = h('textarea', { id: 'faults-json', rows: 12, className: 'code', spellcheck: false, value: pretty(rules), 'aria-describedby': 'faults-hint faults-error' });
  const error = h('div', { id: 'faults-error', 'aria-live': 'assertive' });
  const save = async (event) => {
    event.preventDefault();
    error.replaceChildren();
    let parsed;
    try {
      parsed = JSON.parse(area.value || '[]');
    } catch (problem) {
      return error.replaceChildren(alertBox(`Invalid JSON: ${problem.message}`));
    }
    const saved = await api('PUT', '/_mock/faults', { body: parsed });
    if (!saved.ok) {
      const where = saved.data?.data ? ` Rule ${saved.data.data.index ?? '?'}, field ${saved.data.data.field ?? '?'}.` : '';
      return error.replaceChildren(alertBox(`${errorText(saved)}${where}`));
    }
    notify(`${parsed.length} fault rule(s) active.`);
    faultsView();
  };
  show(
    h('div', { className: 'view-head' }, h('h1', {}, 'Faults')),
    h('p', { className: 'hint', id: 'faults-hint' },
      'Rules {method?, path (glob), status?, body?, headers?, delayMs?, times?, action?}, checked in order before each /api and /oidc request of this tenant. Saving replaces every rule.'),
    h('form', { onsubmit: save },
      h('div', { className: 'field' }, h('label', { htmlFor: 'faults-json' }, 'Fault rules (JSON list)'), area),
      error,
      h('div', { className: 'actions' },
        h('button', { type: 'submit', className: 'primary' }, 'Save rules'),
        clearButton('Clear rules', '/_mock/faults', 'Fault rules cleared.', faultsView))),
  );
}

async function tenantsView() {
  const result = await api('GET', '/_mock/tenants');
  const hostChosen = settings.prefix === '' && settings.tenant !== 'default';
  const names = result.ok ? result.data.map((tenant) => tenant.name ?? tenant.tenant ?? tenant.id).filter(Boolean) : [];
  if (!names.includes(settings.tenant)) names.unshift(settings.tenant);
  const select = h('select', { id: 'tenant-select', disabled: hostChosen }, names.map((name) => h('option', { value: name, selected: name === settings.tenant }, name)));
  // The server's rule for tenant names: 1–63 of a–z, 0–9 and '-'.
  const other = h('input', {
    id: 'tenant-new', placeholder: 'acme', pattern: '[a-z0-9\\-]{1,63}', title: '1–63 lowercase letters, digits or dashes',
    disabled: hostChosen, autocomplete: 'off', 'aria-describedby': 'tenant-new-rule',
  });
  const go = (name) => {
    if (!name || name === settings.tenant) return;
    // Tokens belong to one tenant: the other tenant's page signs in again.
    location.assign(name === 'default' ? '/' : `/t/${encodeURIComponent(name)}/`);
  };
  const rows = result.ok
    ? h('table', {},
      h('caption', {}, 'Tenants with data'),
      h('thead', {}, h('tr', {}, Object.keys(result.data[0] ?? { name: '' }).map((key) => h('th', { scope: 'col' }, key)))),
      h('tbody', {}, result.data.map((tenant) => h('tr', {}, Object.values(tenant).map((value) => h('td', {}, typeof value === 'object' ? JSON.stringify(value) : String(value)))))))
    : alertBox(errorText(result));
  show(
    h('div', { className: 'view-head' }, h('h1', {}, 'Tenant and reset')),
    h('section', { className: 'card', 'aria-label': 'Switch tenant' },
      h('h2', {}, 'Switch tenant'),
      h('p', { className: 'hint' }, hostChosen
        ? `The Host header chose tenant "${settings.tenant}"; open another tenant by its host name or at /t/{tenant}/ on the base domain.`
        : `This page works on tenant "${settings.tenant}". Each tenant has its own connectors, outbox, journal and faults.`),
      h('form', { className: 'inline-form', onsubmit: (event) => { event.preventDefault(); go(other.value.trim() || select.value); } },
        h('div', { className: 'field' }, h('label', { htmlFor: 'tenant-select' }, 'Tenant'), select),
        h('div', { className: 'field' }, h('label', { htmlFor: 'tenant-new' }, 'or another tenant'), other,
          h('p', { className: 'hint', id: 'tenant-new-rule' }, '1–63 lowercase letters, digits or dashes')),
        h('button', { type: 'submit', className: 'primary', disabled: hostChosen }, 'Open'))),
    h('section', { className: 'card', 'aria-label': 'Reset' },
      h('h2', {}, 'Reset'),
      h('p', { className: 'hint' }, 'POST /_mock/reset returns this tenant to exactly its seed: connectors, outbox, journal and faults.'),
      h('button', {
        type: 'button', className: 'danger',
        onclick: async () => {
          if (!window.confirm(`Reset tenant "${settings.tenant}" to its seed? Its connectors, outbox, journal and faults are replaced.`)) return;
          const reset = await api('POST', '/_mock/reset');
          if (reset.ok) notify(`Tenant "${settings.tenant}" reset to its seed.`);
          else notify(errorText(reset), 'error');
        },
      }, 'Reset tenant')),
    h('section', { className: 'card' }, rows),
  );
}

// ---------------------------------------------------------------------------------------
// Router
// ---------------------------------------------------------------------------------------

/** Shows the view the location's hash names (`#/connectors`, `#/connectors/{id}`, …). */
async function route(reason) {
  renderSession();
  const tabs = document.getElementById('tabs');
  if (needsLogin()) {
    tabs.hidden = true;
    return loginView(reason);
  }
  tabs.hidden = false;
  if (reason) notify(reason, 'error');
  const [, section = 'connectors', argument] = location.hash.match(/^#\/([^/]*)\/?(.*)$/) ?? [];
  for (const tab of tabs.querySelectorAll('a')) {
    const current = tab.dataset.tab === (section === 'new' ? 'factories' : section);
    if (current) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  const views = {
    connectors: () => (argument ? editConnectorView(decodeURIComponent(argument)) : connectorsView()),
    factories: factoriesView,
    new: () => newConnectorView(decodeURIComponent(argument)),
    outbox: outboxView,
    requests: requestsView,
    faults: faultsView,
    tenants: tenantsView,
  };
  await (views[section] ?? connectorsView)();
}

document.getElementById('tenant-name').textContent = settings.tenant;
document.title = `${settings.tenant} · connector-mock console`;
window.addEventListener('hashchange', () => route());
route();
