// The same connector flow with token auth on ([auth] mode = "token", the default): the page
// signs in with client credentials (prefilled on a loopback address), keeps the token in
// memory only, and renews it before it expires.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../support/server.js';
import { eventually } from './support/api.js';
import { closeConsole, launchBrowser, openPage, startConsole } from './support/browser.js';
import { createGithub, deleteFromList, editSecret, field, validationError } from './support/flows.js';

/** Short enough that the page renews its token during the test (see the renewal test). */
const TOKEN_TTL_SECONDS = 62;

describe('console with token auth', () => {
  let server;
  let browser;
  let view;
  let api;
  before(async () => ({ server, browser, view, api } = await startConsole(['--auth-token-ttl', String(TOKEN_TTL_SECONDS)], { withToken: true })));
  after(() => closeConsole({ server, browser, view }));

  test('asks for client credentials, prefilled with the default client on loopback', async () => {
    const { page } = view;
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Sections' }).isVisible(), false);
    assert.equal(await page.getByLabel('Client ID').inputValue(), 'mock-m2m');
    assert.equal(await page.getByLabel('Client secret').inputValue(), 'mock-m2m-secret');
    await view.screenshot('sign-in');
    // A wrong secret is refused with the server's reason.
    await page.getByLabel('Client secret').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /client/i);
    await page.getByLabel('Client secret').fill('mock-m2m-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    assert.equal(await page.getByTestId('tenant-name').textContent(), 'default');
  });

  test('keeps the token in memory only', async () => {
    const stored = await view.page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
    assert.equal(stored, JSON.stringify({ local: {}, session: {}, cookie: '' }));
    assert.deepEqual(await view.context.cookies(), []);
  });

  let id;
  test('creates, edits, shows errors inline and deletes with a token', async () => {
    id = await createGithub(view.page);
    assert.equal((await api('GET', `/api/connectors/${id}`)).status, 200);
    await editSecret(view.page, api, id);
    await validationError(view.page, api, id);
    await deleteFromList(view.page, api, id);
  });

  test('renews its token before it expires', async () => {
    const tokenRequests = async () => (await api('GET', '/_mock/requests?method=POST&path=/oidc/token&status=200')).body.length;
    const before = await tokenRequests();
    // The page renews 60 s before expiry, and never sooner than 5 s after getting a token.
    await eventually(async () => (await tokenRequests()) > before, { timeoutMs: 15_000, what: 'a token renewal' });
    await view.page.getByRole('link', { name: 'Factories' }).click();
    await view.page.getByLabel('Search factories').waitFor();
    const unauthorized = (await api('GET', '/_mock/requests?status=401')).body;
    assert.deepEqual(unauthorized.filter((entry) => entry.path !== '/oidc/token'), [], 'no request of the page was refused');
  });

  test('forgets the token on reload and signs out', async () => {
    const { page } = view;
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where it was: the view is in the address, the token is not.
    await page.getByRole('heading', { name: 'Factories' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});

describe('console with token auth on a non-loopback address', () => {
  test('prefills nothing', async () => {
    const server = await startServer(['--listen', '0.0.0.0:0']);
    const browser = await launchBrowser();
    try {
      const port = new URL(server.baseUrl).port;
      const view = await openPage(browser, `http://127.0.0.1:${port}`);
      await view.page.goto(`http://127.0.0.1:${port}/`);
      await view.page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.equal(await field(view.page, 'Client ID').inputValue(), '');
      assert.equal(await view.page.getByLabel('Client secret').inputValue(), '');
      view.check();
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
