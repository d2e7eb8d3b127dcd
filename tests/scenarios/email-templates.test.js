// Every scenario of Logto's
// packages/integration-tests/src/tests/api/email-templates/connector-test-api.test.ts: the test
// endpoint renders the i18n email template stored with /api/email-templates for the request's
// `locale`, falls back to the fallback language's template (`en`, Logto's default sign-in
// experience), then to the config's own template. The message is read from Logto's record
// file, as Logto's test reads it, and checked against the outbox. PATCH mode plays no part.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { connectorApi, emailTemplateApi, managementApi, outboxApi } from './support/client.js';
import { EMAIL, emailConfig, uniqueEmail } from './support/connectors.js';
import { clearRecord, preserveRecordFiles, readRecord } from './support/records.js';
import { startServer } from '../support/server.js';

/** A stored template's `details`: a distinct subject per language, so each can be recognized. */
const detailsIn = (language) => ({
  subject: `Scenario template (${language})`,
  content: `[${language}] test value: {{code}}`,
  contentType: 'text/html',
});
const english = { languageTag: 'en', templateType: 'Generic', details: detailsIn('en') };
const german = { languageTag: 'de', templateType: 'Generic', details: detailsIn('de') };

describe('connector-test-api.test.ts: test messages with i18n email templates', () => {
  let server;
  let connectors;
  let templates;
  let outbox;
  let restoreRecordFiles;
  const created = new Map(); // template id → template, as Logto's test helper tracks them

  before(async () => {
    restoreRecordFiles = preserveRecordFiles();
    server = await startServer(['--outbox-record-files']);
    const api = await managementApi(server.baseUrl);
    connectors = connectorApi(api);
    templates = emailTemplateApi(api);
    outbox = outboxApi(server.baseUrl, api);
  });

  after(async () => {
    await server?.stop();
    restoreRecordFiles?.();
  });

  /** Sends the Generic test message for `locale`; answers the record file's line. */
  const sendFor = async (locale) => {
    const address = uniqueEmail();
    clearRecord('Email');
    const response = await connectors.sendEmailTest(EMAIL, address, emailConfig, locale);
    assert.equal(response.status, 204);
    const record = readRecord('Email');
    assert.equal(record.address, address);
    assert.deepEqual(record.payload, { code: '000000', locale });
    const [message] = await outbox.list({ to: address });
    assert.equal(message.subject, record.subject);
    assert.equal(message.content, record.content);
    return record;
  };

  // Logto creates them in `beforeAll`; here it is a scenario of its own, so a failure is counted.
  it('PUT /api/email-templates stores the en and de Generic templates', async () => {
    for (const template of await templates.upsert([english, german])) {
      created.set(template.id, template);
    }
    assert.equal(created.size, 2);
    for (const [id, template] of created) {
      assert.equal(typeof id, 'string');
      const stored = await templates.get(id);
      assert.equal(stored.id, id);
      assert.equal(stored.languageTag, template.languageTag);
      assert.equal(stored.templateType, 'Generic');
      assert.deepEqual(stored.details, template.details);
    }
  });

  it('should read and use the i18n email template for test message (locale "de")', async () => {
    const record = await sendFor('de');
    assert.deepEqual(record.template, german.details);
    assert.equal(record.subject, german.details.subject);
    assert.equal(record.content, '[de] test value: 000000');
  });

  it('should fall back to the default language template when the locale has none (locale "fr")', async () => {
    const record = await sendFor('fr');
    assert.deepEqual(record.template, english.details);
    assert.equal(record.content, '[en] test value: 000000');
  });

  it('should fall back to the config template when no i18n template is found (locale "br", en deleted)', async () => {
    const englishGeneric = await templates.list({ languageTag: 'en', templateType: 'Generic' });
    assert.equal(englishGeneric.length, 1);
    const { rowCount } = await templates.removeWhere({ languageTag: 'en', templateType: 'Generic' });
    assert.equal(rowCount, 1);
    for (const { id } of englishGeneric) created.delete(id);
    assert.deepEqual(await templates.list({ languageTag: 'en' }), []);

    const record = await sendFor('br');
    const configGeneric = emailConfig.templates.find(({ usageType }) => usageType === 'Generic');
    assert.deepEqual(record.template, configGeneric);
    assert.equal(record.subject, configGeneric.subject);
    assert.equal(record.content, configGeneric.content.replace('{{code}}', '000000'));
  });

  it('clean-up: the remaining templates are deleted by id', async () => {
    for (const id of created.keys()) {
      assert.equal((await templates.remove(id)).status, 204);
    }
    created.clear();
    assert.deepEqual(await templates.list(), []);
  });
});
