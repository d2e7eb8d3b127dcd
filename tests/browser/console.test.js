// The web console in headless Chromium against the real binary ([auth] mode = "none"):
// every form item type, the connector flows, the test message and outbox, the harness
// panels, a phone-sized screen. Screenshots of the main views go to screenshots/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { call, eventually } from './support/api.js';
import { closeConsole, openPage, startConsole } from './support/browser.js';
import { createGithub, deleteFromList, editSecret, field, findFactory, validationError } from './support/flows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');

describe('console with auth off', () => {
  let server;
  let browser;
  let view;
  let api;
  before(async () => ({ server, browser, view, api } = await startConsole(['--auth-mode', 'none', '--fixtures-dirs', fixtures])));
  after(() => closeConsole({ server, browser, view }));

  test('loads the page with its tenant, and API clients still get JSON at /', async () => {
    const response = await view.page.goto(`${server.baseUrl}/`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
    await view.page.getByRole('heading', { name: 'Connectors' }).waitFor();
    assert.equal(await view.page.getByTestId('tenant-name').textContent(), 'default');
    assert.equal(await view.page.getByRole('navigation', { name: 'Sections' }).isVisible(), true);
    const json = await api('GET', '/');
    assert.equal(json.status, 404);
    assert.equal(json.body.code, 'mock.route_not_found');
  });

  test('finds a factory with the search box, grouped by type', async () => {
    const card = await findFactory(view.page, 'git', 'github-universal');
    const visible = await view.page.locator('li.factory:visible').evaluateAll((cards) => cards.map((card) => card.dataset.factoryId));
    assert.deepEqual(visible.sort(), ['github-universal', 'gitlab-universal']);
    assert.equal(await card.locator('img.logo').count(), 1, 'the logo is shown');
    assert.equal(await view.page.getByRole('region', { name: 'Email factories' }).isVisible(), false, 'groups without a match hide');
    await view.page.getByLabel('Search factories').fill('mail');
    await view.page.getByRole('region', { name: 'Email factories' }).waitFor();
    assert.equal(await view.page.getByRole('region', { name: 'Social factories' }).isVisible(), false);
    await view.page.getByLabel('Search factories').fill('');
    for (const group of ['Social', 'Email', 'SMS']) {
      assert.equal(await view.page.getByRole('region', { name: `${group} factories` }).isVisible(), true);
    }
    await view.screenshot('factories');
  });

  let githubId;
  test('creates a GitHub connector through its form', async () => {
    githubId = await createGithub(view.page);
    const stored = await api('GET', `/api/connectors/${githubId}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.connectorId, 'github-universal');
    assert.deepEqual(stored.body.config, { clientId: 'gh-client', clientSecret: 'gh-secret', scope: 'read:user' });
    await view.screenshot('connector-edit');
  });

  test('edits one field: the PATCH carries only that key', async () => {
    await editSecret(view.page, api, githubId);
  });

  test("shows the server's validation error at the field", async () => {
    await validationError(view.page, api, githubId);
    await view.screenshot('validation-error');
  });

  test('shows the authorization URI of a social connector', async () => {
    await view.page.goto(`${server.baseUrl}/#/connectors/${githubId}`);
    await view.page.getByRole('button', { name: 'Get authorization URI' }).click();
    const link = view.page.getByTestId('authorization-uri');
    await link.waitFor();
    const uri = new URL(await link.textContent());
    assert.equal(uri.origin + uri.pathname, 'https://github.com/login/oauth/authorize');
    assert.equal(uri.searchParams.get('client_id'), 'gh-client');
    assert.equal(uri.searchParams.get('state'), await view.page.getByLabel('State').inputValue());
  });

  test('deletes the connector', async () => {
    await deleteFromList(view.page, api, githubId);
  });

  test('renders every form item type and sends typed values', async () => {
    const { page } = view;
    await page.goto(`${server.baseUrl}/#/new/console-showcase`);
    await page.getByRole('heading', { name: 'New Console Showcase connector' }).waitFor();
    // Text, confidential: masked, with a show toggle.
    const secret = field(page, 'Client Secret');
    assert.equal(await secret.getAttribute('type'), 'password');
    await page.getByRole('button', { name: 'Show Client Secret' }).click();
    assert.equal(await secret.getAttribute('type'), 'text');
    await page.getByRole('button', { name: 'Hide Client Secret' }).click();
    assert.equal(await secret.getAttribute('type'), 'password');
    // Required marks, placeholder, description, tooltip.
    assert.equal(await page.locator('[data-field="config.clientId"] .required').count(), 1);
    assert.equal(await field(page, 'Client ID').getAttribute('placeholder'), '<client-id>');
    await page.getByText('How long to wait for the provider.').waitFor();
    assert.match(await page.locator('[data-field="config.clientSecret"] .tooltip').getAttribute('title'), /never shown/);
    // Number with its default, Switch, showConditions.
    assert.equal(await field(page, 'Timeout (seconds)').inputValue(), '30');
    const proxy = page.locator('[data-field="config.proxyUrl"]');
    assert.equal(await proxy.isVisible(), false, 'hidden until its condition holds');
    await page.getByLabel('Use a proxy').check();
    await proxy.waitFor({ state: 'visible' });
    await field(page, 'Proxy URL').fill('http://proxy.internal:3128');
    await field(page, 'Client ID').fill('showcase');
    await secret.fill('s3cret');
    await field(page, 'Timeout (seconds)').fill('45');
    await field(page, 'Notes').fill('line one\nline two');
    await field(page, 'Prompt').selectOption('consent');
    await page.getByRole('checkbox', { name: 'openid' }).check();
    await page.getByRole('checkbox', { name: 'email' }).check();
    // Json: checked as it is typed, and a broken one is never sent.
    const json = field(page, 'Extra parameters');
    await json.fill('{"audience": ');
    await page.getByText(/^Invalid JSON/).waitFor();
    const posts = (await api('GET', '/_mock/requests?method=POST&path=/api/connectors')).body.length;
    await page.getByRole('button', { name: 'Create connector' }).click();
    await page.locator('[data-field="config.extraParams"] .field-error').filter({ hasText: 'Invalid JSON' }).waitFor();
    assert.equal((await api('GET', '/_mock/requests?method=POST&path=/api/connectors')).body.length, posts, 'nothing was sent');
    await json.fill('{"audience": "api://mock"}');
    await page.getByText('Valid JSON', { exact: true }).waitFor();
    assert.equal(await page.locator('[data-field="config.extraParams"] .field-error').isVisible(), false, 'editing the field clears its error');
    await view.screenshot('form-items');
    await page.getByRole('button', { name: 'Create connector' }).click();
    const id = (await page.getByTestId('connector-id').textContent()).trim();
    const stored = (await api('GET', `/api/connectors/${id}`)).body;
    assert.deepEqual(stored.config, {
      clientId: 'showcase',
      clientSecret: 's3cret',
      timeoutSeconds: 45,
      notes: 'line one\nline two',
      useProxy: true,
      proxyUrl: 'http://proxy.internal:3128',
      prompt: 'consent',
      scopes: ['openid', 'email'],
      extraParams: { audience: 'api://mock' },
    });
    // The edit form shows what is stored; a Number out of the schema's range is refused inline.
    assert.equal(await field(page, 'Timeout (seconds)').inputValue(), '45');
    assert.equal(await page.getByRole('checkbox', { name: 'email' }).isChecked(), true);
    await field(page, 'Timeout (seconds)').fill('9999');
    await page.getByLabel('Sync profile at each sign-in').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('[data-field="config.timeoutSeconds"] .field-error').waitFor({ state: 'visible' });
    assert.equal((await api('GET', `/api/connectors/${id}`)).body.syncProfile, false, 'a refused update changes nothing');
    // Fixed, the same save goes through; switching the proxy off keeps its hidden URL stored.
    await field(page, 'Timeout (seconds)').fill('60');
    await page.getByLabel('Store tokens (enableTokenStorage)').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved Console Showcase.').waitFor();
    const last = (await api('GET', '/_mock/requests?method=PATCH')).body.at(-1);
    assert.deepEqual(last.body, { config: { timeoutSeconds: 60 }, syncProfile: true, enableTokenStorage: true });
    const saved = (await api('GET', `/api/connectors/${id}`)).body;
    assert.equal(saved.config.timeoutSeconds, 60);
    assert.equal(saved.syncProfile, true);
    assert.equal(saved.enableTokenStorage, true);
  });

  test('sets the target of a standard connector', async () => {
    const { page } = view;
    await page.goto(`${server.baseUrl}/#/new/oauth2`);
    await page.getByRole('heading', { name: /New OAuth 2.0 connector/ }).waitFor();
    await page.getByRole('button', { name: 'Create connector' }).click();
    // Without a target Logto refuses the connector; the console says where.
    await page.locator('[data-field="metadata.target"] .field-error').waitFor({ state: 'visible' });
    await field(page, 'Target').fill('acme-sso');
    await field(page, 'Authorization Endpoint').fill('https://sso.example.com/authorize');
    await field(page, 'Token Endpoint').fill('https://sso.example.com/token');
    await field(page, 'User Info Endpoint').fill('https://sso.example.com/userinfo');
    await field(page, 'Client ID').fill('sso-client');
    await field(page, 'Client Secret').fill('sso-secret');
    await page.getByRole('button', { name: 'Create connector' }).click();
    const id = (await page.getByTestId('connector-id').textContent()).trim();
    const stored = (await api('GET', `/api/connectors/${id}`)).body;
    assert.equal(stored.metadata.target, 'acme-sso');
    assert.equal(stored.config.tokenEndpointAuthMethod, 'client_secret_post', 'Select defaults are sent');
    assert.equal(stored.config.clientSecretJwtSigningAlgorithm, undefined, 'items hidden by showConditions are not sent');
    // Logto refuses to change a target (connector.can_not_modify_target): the edit form shows it read-only.
    const target = field(page, 'Target');
    assert.equal(await target.inputValue(), 'acme-sso');
    assert.equal(await target.getAttribute('readonly'), '');
    // A field revealed by a showCondition is sent with the value it shows (here its default).
    await field(page, 'Token Endpoint Auth Method').selectOption('client_secret_jwt');
    await field(page, 'Client Secret JWT Signing Algorithm').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved OAuth 2.0.').waitFor();
    assert.deepEqual((await api('GET', '/_mock/requests?method=PATCH')).body.at(-1).body, {
      config: { tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretJwtSigningAlgorithm: 'HS256' },
    });
  });

  test('sends a test email and sees it in the live outbox', async () => {
    const { page } = view;
    await findFactory(page, 'mock mail service', 'mock-email-service');
    await page.locator('li.factory[data-factory-id="mock-email-service"]').getByRole('link', { name: /Create/ }).click();
    // No formItems: a JSON editor seeded with the factory's config template.
    const editor = page.getByLabel('Config (JSON)');
    assert.match(await editor.inputValue(), /"usageType": "Generic"/);
    await page.getByRole('button', { name: 'Create connector' }).click();
    const id = (await page.getByTestId('connector-id').textContent()).trim();
    assert.equal((await api('GET', `/api/connectors/${id}`)).body.connectorId, 'mock-email-service');
    await page.getByLabel('Email address').fill('ada@example.com');
    await page.getByRole('button', { name: 'Send test message' }).click();
    const message = page.locator('li.message[data-to="ada@example.com"]');
    await message.waitFor();
    assert.match(await message.textContent(), /000000/);
    const outbox = (await api('GET', '/_mock/outbox?to=ada@example.com')).body;
    assert.equal(outbox.length, 1);
    assert.equal(outbox[0].factoryId, 'mock-email-service');
    // Live: a message sent by someone else appears without a reload.
    const config = (await api('GET', `/api/connectors/${id}`)).body.config;
    assert.equal((await api('POST', '/api/connectors/mock-email-service/test', { email: 'grace@example.com', config })).status, 204);
    await page.locator('li.message[data-to="grace@example.com"]').waitFor({ timeout: 10_000 });
    await view.screenshot('test-message');
    await page.getByRole('link', { name: 'Outbox' }).click();
    await page.locator('li.message[data-to="grace@example.com"]').waitFor();
    await view.screenshot('outbox');
    await page.getByRole('button', { name: 'Clear outbox' }).click();
    await page.getByText('No messages yet.').waitFor();
    assert.deepEqual((await api('GET', '/_mock/outbox')).body, []);
  });

  test('sends a test SMS to a phone number', async () => {
    const { page } = view;
    await page.goto(`${server.baseUrl}/#/new/mock-short-message-service`);
    await page.getByRole('button', { name: 'Create connector' }).click();
    await page.getByTestId('connector-id').waitFor();
    await page.getByLabel('Phone number').fill('15551234567');
    await page.getByRole('button', { name: 'Send test message' }).click();
    await page.locator('li.message[data-to="15551234567"]').waitFor();
    const outbox = (await api('GET', '/_mock/outbox?to=15551234567')).body;
    assert.deepEqual(outbox.map((message) => [message.type, message.factoryId]), [['Sms', 'mock-short-message-service']]);
    // Logto's rule: digits only; the server's refusal is shown.
    await page.getByLabel('Phone number').fill('+1 555');
    await page.getByRole('button', { name: 'Send test message' }).click();
    await page.getByRole('alert').filter({ hasText: 'guard.invalid_input' }).waitFor();
  });

  test('shows the request journal, without its own requests unless asked', async () => {
    const { page } = view;
    assert.equal((await api('GET', '/api/connectors/no-such-connector')).status, 404);
    await page.getByRole('link', { name: 'Requests' }).click();
    const entry = page.locator('li.journal-entry').filter({ hasText: '/api/connectors/no-such-connector' });
    await entry.waitFor();
    assert.match(await entry.textContent(), /404/);
    const shown = await page.locator('li.journal-entry').count();
    await page.getByLabel("Hide the console's own requests").uncheck();
    await eventually(async () => (await page.locator('li.journal-entry').count()) > shown, { what: "the console's requests show" });
    await page.getByLabel("Hide the console's own requests").check();
    await page.getByLabel('Status').fill('4xx');
    await page.getByRole('button', { name: 'Show' }).click();
    await eventually(async () => {
      const statuses = await page.locator('li.journal-entry .status').allTextContents();
      return statuses.length > 0 && statuses.every((status) => status.startsWith('4'));
    }, { what: 'the status filter' });
    await entry.waitFor();
    await view.screenshot('requests');
  });

  test('sets and clears fault rules, with the invalid rule named', async () => {
    const { page } = view;
    await page.getByRole('link', { name: 'Faults' }).click();
    const rules = page.getByLabel('Fault rules (JSON list)');
    await rules.fill('[{"method": "GET", "path": "/api/connectors", "status": 503}, {"path": "/api/**", "delayMs": 999999}]');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByRole('alert').filter({ hasText: 'mock.invalid_fault_rule' }).filter({ hasText: 'Rule 1' }).waitFor();
    assert.deepEqual((await api('GET', '/_mock/faults')).body, [], 'an invalid list changes nothing');
    await rules.fill('[{"method": "GET", "path": "/api/connectors", "status": 503, "times": 2}]');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText('1 fault rule(s) active.').waitFor();
    assert.equal((await api('GET', '/api/connectors')).status, 503);
    // Reloaded, the editor shows what is left of the rule.
    await page.reload();
    await eventually(async () => /"times": 1/.test(await page.getByLabel('Fault rules (JSON list)').inputValue()), { what: 'the remaining count shows' });
    await page.getByRole('button', { name: 'Clear rules' }).click();
    await page.getByText('Fault rules cleared.').waitFor();
    assert.deepEqual((await api('GET', '/_mock/faults')).body, []);
    assert.equal((await api('GET', '/api/connectors')).status, 200);
  });

  test('resets the tenant and switches to another one', async () => {
    const { page } = view;
    assert.ok((await api('GET', '/api/connectors')).body.length > 0);
    await page.getByRole('link', { name: 'Tenant & reset' }).click();
    await page.getByRole('button', { name: 'Reset tenant' }).click(); // the confirm dialog is accepted
    await page.getByText('reset to its seed').waitFor();
    assert.deepEqual((await api('GET', '/api/connectors')).body, []);
    // A name the server would refuse is stopped by the form.
    await page.getByLabel('or another tenant').fill('Not A Tenant');
    await page.getByRole('button', { name: 'Open' }).click();
    assert.equal(await page.getByLabel('or another tenant').evaluate((input) => input.validity.patternMismatch), true);
    assert.equal(new URL(page.url()).pathname, '/');
    await page.getByLabel('or another tenant').fill('acme');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(`${server.baseUrl}/t/acme/`);
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    assert.equal(await page.getByTestId('tenant-name').textContent(), 'acme');
    // The page works on that tenant only.
    await createGithub(page, { clientId: 'acme-client' });
    const acme = await call(server.baseUrl, 'GET', '/t/acme/api/connectors');
    assert.equal(acme.body.length, 1);
    assert.deepEqual((await api('GET', '/api/connectors')).body, []);
    await page.getByRole('link', { name: 'Tenant & reset' }).click();
    await field(page, 'Tenant').selectOption('default');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(`${server.baseUrl}/`);
    assert.equal(await page.getByTestId('tenant-name').textContent(), 'default');
  });

  test('is usable on a phone-sized screen and by keyboard', async () => {
    const phone = await openPage(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    try {
      await phone.page.goto(`${server.baseUrl}/#/factories`);
      await phone.page.getByLabel('Search factories').waitFor();
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
      // Keyboard: the heading has focus after navigation; the next Tab reaches the search box,
      // and the focus ring shows.
      await phone.page.keyboard.press('Tab');
      assert.equal(await phone.page.evaluate(() => document.activeElement.id), 'factory-search');
      const outline = await phone.page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', 'focus is visible');
      await phone.screenshot('factories-phone', { fullPage: false });
      phone.check();
    } finally {
      await phone.context.close();
    }
  });

  test('weighs under 200 KB', async () => {
    let bytes = 0;
    for (const asset of ['/', '/console/console.js', '/console/console.css']) {
      const response = await fetch(server.baseUrl + asset, { headers: { accept: 'text/html' } });
      assert.equal(response.status, 200);
      bytes += (await response.arrayBuffer()).byteLength;
    }
    assert.ok(bytes < 200 * 1024, `${bytes} bytes`);
  });
});
