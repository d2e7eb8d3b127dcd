// SDK compatibility test: drives a real connector-mock binary through Logto's official
// Management API client, `@logto/api`, exactly as a Logto user would.
//
// Run: cd tests/sdk && npm ci && node --test   (needs `cargo build` first, or MOCK_BINARY)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createManagementApi } from '@logto/api/management';

import { startServer } from '../support/server.js';

const apiIndicator = 'https://default.logto.app/api';
const credentials = { clientId: 'mock-m2m', clientSecret: 'mock-m2m-secret' };

describe('connector-mock through @logto/api', () => {
  let server;
  let baseUrl;
  let apiClient;
  const createdConfig = { clientId: 'sdk-client-id', clientSecret: 'sdk-client-secret' };
  let connectorId;

  before(async () => {
    server = await startServer();
    ({ baseUrl } = server);
    ({ apiClient } = createManagementApi('default', { ...credentials, baseUrl, apiIndicator }));
  });

  after(async () => {
    await server?.stop();
  });

  it('lists the connector factories, including mock-social-connector', async (t) => {
    // The SDK warns on console when the token's scope is not "all": the mock must grant "all".
    const warn = t.mock.method(console, 'warn', () => {});
    const { data, error, response } = await apiClient.GET('/api/connector-factories');
    assert.equal(response.status, 200);
    assert.equal(error, undefined);
    assert.ok(Array.isArray(data));
    const social = data.find((factory) => factory.id === 'mock-social-connector');
    assert.ok(social, `mock-social-connector missing from ${data.map((f) => f.id).join(', ')}`);
    assert.equal(social.type, 'Social');
    assert.equal(warn.mock.callCount(), 0, 'the SDK warned about the token scope');
  });

  it('creates a mock-social-connector connector', async () => {
    const { data, error, response } = await apiClient.POST('/api/connectors', {
      body: { connectorId: 'mock-social-connector', config: createdConfig },
    });
    assert.equal(response.status, 200, JSON.stringify(error));
    assert.equal(typeof data.id, 'string');
    assert.equal(data.connectorId, 'mock-social-connector');
    assert.deepEqual(data.config, createdConfig);
    connectorId = data.id;
  });

  it('gets the connector', async () => {
    const { data, error, response } = await apiClient.GET('/api/connectors/{id}', {
      params: { path: { id: connectorId } },
    });
    assert.equal(response.status, 200, JSON.stringify(error));
    assert.equal(data.id, connectorId);
    assert.equal(data.connectorId, 'mock-social-connector');
    assert.deepEqual(data.config, createdConfig);
  });

  it('patches only clientSecret and keeps clientId (RFC 7396 merge)', async () => {
    const expected = { clientId: createdConfig.clientId, clientSecret: 'rotated' };
    const patched = await apiClient.PATCH('/api/connectors/{id}', {
      params: { path: { id: connectorId } },
      body: { config: { clientSecret: 'rotated' } },
    });
    assert.equal(patched.response.status, 200, JSON.stringify(patched.error));
    assert.deepEqual(patched.data.config, expected);

    const reread = await apiClient.GET('/api/connectors/{id}', { params: { path: { id: connectorId } } });
    assert.equal(reread.response.status, 200);
    assert.deepEqual(reread.data.config, expected);
  });

  it('lists connectors, with and without a target filter', async () => {
    const all = await apiClient.GET('/api/connectors');
    assert.equal(all.response.status, 200, JSON.stringify(all.error));
    const mine = all.data.find((connector) => connector.id === connectorId);
    assert.ok(mine, 'created connector missing from the list');
    assert.equal(mine.config.clientSecret, 'rotated');

    const byTarget = await apiClient.GET('/api/connectors', { params: { query: { target: mine.target } } });
    assert.equal(byTarget.response.status, 200);
    assert.deepEqual(byTarget.data.map((connector) => connector.id), [connectorId]);
  });

  it('deletes the connector (204), then GET answers 404 entity.not_found', async () => {
    const deleted = await apiClient.DELETE('/api/connectors/{id}', { params: { path: { id: connectorId } } });
    assert.equal(deleted.response.status, 204);
    assert.equal(deleted.error, undefined);

    const { data, error, response } = await apiClient.GET('/api/connectors/{id}', {
      params: { path: { id: connectorId } },
    });
    assert.equal(response.status, 404);
    assert.equal(data, undefined);
    assert.equal(error.code, 'entity.not_found');
    assert.equal(typeof error.message, 'string');
  });

  it('rejects an invalid config with 400 connector.invalid_config and creates nothing', async () => {
    const { data, error, response } = await apiClient.POST('/api/connectors', {
      body: { connectorId: 'mock-social-connector', config: { clientId: 42 } },
    });
    assert.equal(response.status, 400);
    assert.equal(data, undefined);
    assert.equal(error.code, 'connector.invalid_config');
    assert.equal(typeof error.message, 'string');

    const list = await apiClient.GET('/api/connectors');
    assert.equal(list.response.status, 200);
    assert.ok(!list.data.some((connector) => connector.connectorId === 'mock-social-connector'));
  });

  it('makes the SDK token request fail clearly with a wrong client secret', async () => {
    const wrong = createManagementApi('default', { ...credentials, clientSecret: 'wrong', baseUrl, apiIndicator });
    const expected = { name: 'ClientCredentialsError', message: 'Failed to fetch access token: 401 Unauthorized' };
    // @logto/api throws from its request middleware: the API call itself rejects.
    await assert.rejects(wrong.apiClient.GET('/api/connectors'), expected);
    await assert.rejects(wrong.clientCredentials.getAccessToken(), expected);
  });
});

describe('@logto/api against a tenant selected by the /t/{tenant} prefix', () => {
  let server;
  let baseUrl;

  before(async () => {
    server = await startServer();
    ({ baseUrl } = server);
  });

  after(async () => {
    await server?.stop();
  });

  const clientFor = (tenant) =>
    createManagementApi(tenant, {
      ...credentials,
      baseUrl: `${baseUrl}/t/${tenant}`,
      apiIndicator: `https://${tenant}.logto.app/api`,
    });

  it('creates and lists connectors in the tenant, unseen by the default tenant', async () => {
    const { apiClient } = clientFor('sdk-tenant');
    const created = await apiClient.POST('/api/connectors', {
      body: { connectorId: 'mock-social-connector', config: { clientId: 'tenant-id', clientSecret: 'tenant-secret' } },
    });
    assert.equal(created.response.status, 200, JSON.stringify(created.error));

    const listed = await apiClient.GET('/api/connectors');
    assert.equal(listed.response.status, 200);
    assert.deepEqual(listed.data.map((connector) => connector.id), [created.data.id]);

    const { apiClient: defaultClient } = createManagementApi('default', { ...credentials, baseUrl, apiIndicator });
    const elsewhere = await defaultClient.GET('/api/connectors');
    assert.equal(elsewhere.response.status, 200);
    assert.deepEqual(elsewhere.data, []);
  });

  it("refuses the tenant's token on another tenant", async () => {
    const { clientCredentials } = clientFor('sdk-tenant');
    const { value } = await clientCredentials.getAccessToken();
    const mine = await fetch(`${baseUrl}/t/sdk-tenant/api/connectors`, { headers: { authorization: `Bearer ${value}` } });
    assert.equal(mine.status, 200);
    const response = await fetch(`${baseUrl}/t/other/api/connectors`, { headers: { authorization: `Bearer ${value}` } });
    assert.equal(response.status, 401);
    const body = await response.json();
    assert.equal(body.code, 'auth.unauthorized');
    assert.equal(body.data.claim, 'aud');
  });
});
