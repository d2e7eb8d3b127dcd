// The Management API client a Logto user's tests would use: ky with a bearer token from the
// tenant's client-credentials endpoint. Every helper rejects with ky's HTTPError on a non-2xx.
import ky, { HTTPError } from 'ky';
import assert from 'node:assert/strict';

/** The default tenant's Management API resource and its built-in machine-to-machine client. */
const RESOURCE = 'https://default.logto.app/api';
const CLIENT = { id: 'mock-m2m', secret: 'mock-m2m-secret' };
const TIMEOUT_MS = 10_000;

/** Gets an access token with the client-credentials grant, as a Logto M2M app does. */
async function fetchAccessToken(baseUrl) {
  const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
  const { access_token: token } = await ky
    .post('oidc/token', {
      prefixUrl: baseUrl,
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: RESOURCE, scope: 'all' }),
      retry: 0,
      timeout: TIMEOUT_MS,
    })
    .json();
  assert.equal(typeof token, 'string');
  return token;
}

/** A ky instance for `<baseUrl>/api`, authorized, without retries (a failure shows at once). */
export async function managementApi(baseUrl) {
  const token = await fetchAccessToken(baseUrl);
  return ky.create({
    prefixUrl: `${baseUrl}/api`,
    headers: { authorization: `Bearer ${token}` },
    retry: 0,
    timeout: TIMEOUT_MS,
  });
}

/** Connector endpoints (`/api/connectors`, `/api/connector-factories`). */
export function connectorApi(api) {
  const testMessage = (factoryId, receiver, config, locale) =>
    api.post(`connectors/${encodeURIComponent(factoryId)}/test`, {
      json: { ...receiver, config, ...(locale === undefined ? {} : { locale }) },
    });
  return {
    listFactories: () => api.get('connector-factories').json(),
    getFactory: (factoryId) => api.get(`connector-factories/${encodeURIComponent(factoryId)}`).json(),
    list: () => api.get('connectors').json(),
    get: (id) => api.get(`connectors/${encodeURIComponent(id)}`).json(),
    create: (body) => api.post('connectors', { json: body }).json(),
    update: (id, body) => api.patch(`connectors/${encodeURIComponent(id)}`, { json: body }).json(),
    remove: (id) => api.delete(`connectors/${encodeURIComponent(id)}`),
    /** Deletes every stored connector, one request each, as a test's clean-up does. */
    removeAll: async () => {
      const connectors = await api.get('connectors').json();
      await Promise.all(connectors.map(({ id }) => api.delete(`connectors/${encodeURIComponent(id)}`)));
    },
    sendSmsTest: (factoryId, phone, config) => testMessage(factoryId, { phone }, config),
    sendEmailTest: (factoryId, email, config, locale) => testMessage(factoryId, { email }, config, locale),
  };
}

/** Logto's i18n email templates (`/api/email-templates`). */
export function emailTemplateApi(api) {
  return {
    /** PUT bulk upsert: `templates` are `{languageTag, templateType, details}`. */
    upsert: (templates) => api.put('email-templates', { json: { templates } }).json(),
    list: (filter = {}) => api.get('email-templates', { searchParams: filter }).json(),
    get: (id) => api.get(`email-templates/${encodeURIComponent(id)}`).json(),
    updateDetails: (id, details) =>
      api.patch(`email-templates/${encodeURIComponent(id)}/details`, { json: details }).json(),
    remove: (id) => api.delete(`email-templates/${encodeURIComponent(id)}`),
    removeWhere: (filter) => api.delete('email-templates', { searchParams: filter }).json(),
  };
}

/** The `/_mock/outbox` harness route: every message the test endpoint "sent", oldest first. */
export function outboxApi(baseUrl, api) {
  const outbox = api.extend({ prefixUrl: `${baseUrl}/_mock` });
  return {
    list: (filter = {}) => outbox.get('outbox', { searchParams: filter }).json(),
    clear: () => outbox.delete('outbox'),
  };
}

/**
 * Awaits `promise`, which must reject with an HTTPError of `status` and Logto error `code`;
 * resolves to the error body.
 */
export async function expectRequestError(promise, { status, code }) {
  let error;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  assert.ok(error, `expected ${status} ${code}, but the request succeeded`);
  assert.ok(error instanceof HTTPError, `expected an HTTPError, got ${error}`);
  const body = await error.response.json();
  assert.equal(error.response.status, status, `status of ${JSON.stringify(body)}`);
  assert.equal(body.code, code, `code of ${JSON.stringify(body)}`);
  assert.equal(typeof body.message, 'string');
  return body;
}
