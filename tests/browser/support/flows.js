// User flows shared by the auth-off and token-auth test files.
import assert from 'node:assert/strict';
import { eventually } from './api.js';

/** The control labelled `label` (its required mark aside), e.g. `field(page, 'Client ID')`. */
export function field(page, label) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}( \\*)?$`));
}

/** Finds the GitHub factory with the search box; only its card stays visible. */
export async function findFactory(page, words, factoryId) {
  await page.getByRole('link', { name: 'Factories' }).click();
  const search = page.getByLabel('Search factories');
  await search.fill(words);
  const card = page.locator(`li.factory[data-factory-id="${factoryId}"]`);
  await card.waitFor({ state: 'visible' });
  return card;
}

/** Creates a GitHub connector through its generated form; resolves to its id. */
export async function createGithub(page, { clientId = 'gh-client', clientSecret = 'gh-secret' } = {}) {
  const card = await findFactory(page, 'github', 'github-universal');
  assert.equal(await page.locator('li.factory:visible').count(), 1, 'the search leaves one factory');
  await card.getByRole('link', { name: /Create/ }).click();
  await page.getByRole('heading', { name: /New GitHub connector/ }).waitFor();
  await field(page, 'Client ID').fill(clientId);
  await field(page, 'Client Secret').fill(clientSecret);
  await field(page, 'Scope').fill('read:user');
  await page.getByRole('button', { name: 'Create connector' }).click();
  const idCode = page.getByTestId('connector-id');
  await idCode.waitFor();
  return (await idCode.textContent()).trim();
}

/**
 * Edits the client secret, saves, and checks through the API that the PATCH carried that key
 * only and that the other keys are as they were.
 */
export async function editSecret(page, api, id) {
  const before = (await api('GET', `/api/connectors/${id}`)).body;
  await field(page, 'Client Secret').fill('rotated-secret');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Saved GitHub.').waitFor();
  const patches = (await api('GET', '/_mock/requests?method=PATCH')).body;
  const last = patches.at(-1);
  assert.equal(last.path, `/api/connectors/${id}`);
  // The journal masks secrets, so the keys tell what was sent; the API tells the new value.
  assert.deepEqual(Object.keys(last.body), ['config'], 'only the config was sent');
  assert.deepEqual(Object.keys(last.body.config), ['clientSecret'], 'only the edited key was sent');
  const after = (await api('GET', `/api/connectors/${id}`)).body;
  assert.deepEqual(after.config, { ...before.config, clientSecret: 'rotated-secret' });
  assert.equal(after.syncProfile, before.syncProfile);
  assert.deepEqual(after.metadata, before.metadata);
}

/** Empties a required field; the server's error shows at that field, and nothing changes. */
export async function validationError(page, api, id) {
  const before = (await api('GET', `/api/connectors/${id}`)).body;
  await field(page, 'Client ID').fill('');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const clientId = page.locator('[data-field="config.clientId"]');
  const error = clientId.locator('.field-error');
  await error.waitFor({ state: 'visible' });
  assert.match(await error.textContent(), /\S/);
  assert.equal(await clientId.locator('input').getAttribute('aria-invalid'), '');
  await page.getByRole('alert').filter({ hasText: 'connector.invalid_config' }).waitFor();
  assert.equal(await page.locator('.form-errors').textContent(), "The connector's config is invalid. (connector.invalid_config, HTTP 400)", 'placed issues are not repeated on top');
  // Only the field that is wrong is marked.
  assert.equal(await page.locator('[data-field="config.clientSecret"] .field-error').isVisible(), false);
  const after = (await api('GET', `/api/connectors/${id}`)).body;
  assert.deepEqual(after.config, before.config, 'a refused update changes nothing');
}

/** Deletes the connector from the list; the API no longer knows it. */
export async function deleteFromList(page, api, id) {
  await page.getByRole('link', { name: 'Connectors', exact: true }).click();
  const row = page.locator(`li.row[data-connector-id="${id}"]`);
  await row.waitFor();
  await row.getByRole('button', { name: /^Delete/ }).click(); // the confirm dialog is accepted
  await row.waitFor({ state: 'detached' });
  await eventually(async () => (await api('GET', `/api/connectors/${id}`)).status === 404, { what: 'the connector is gone' });
}
