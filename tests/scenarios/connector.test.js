// Every scenario of Logto's packages/integration-tests/src/tests/api/connector.test.ts, walked
// through ky against the connector-mock binary. Logto replaces a connector's config on PATCH;
// connector-mock merges by default and replaces with `[patch] config = "replace"`. Each
// scenario runs against both servers; where the outcome differs, the merge-mode step asserts
// the merge outcome (README: "Scenarios whose outcome differs in merge mode").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { connectorApi, expectRequestError, managementApi, outboxApi } from './support/client.js';
import {
  ALTERNATIVE_EMAIL,
  EMAIL,
  SMS,
  SOCIAL,
  alternativeEmailConfig,
  emailConfig,
  setups,
  smsConfig,
  socialConfig,
  socialNewConfig,
  uniqueEmail,
  uniquePhone,
} from './support/connectors.js';
import { clearRecord, preserveRecordFiles, readRecord, recordText } from './support/records.js';
import { startServer } from '../support/server.js';

const MODES = {
  replace: ['--patch-config', 'replace', '--outbox-record-files'],
  merge: ['--outbox-record-files'], // the default PATCH mode
};

let restoreRecordFiles;
before(() => {
  restoreRecordFiles = preserveRecordFiles();
});
after(() => restoreRecordFiles?.());

for (const [mode, args] of Object.entries(MODES)) {
  describe(`connector.test.ts scenarios, [patch] config = "${mode}"`, () => {
    const replace = mode === 'replace';
    let server;
    let connectors;
    let outbox;

    before(async () => {
      server = await startServer(args);
      const api = await managementApi(server.baseUrl);
      connectors = connectorApi(api);
      outbox = outboxApi(server.baseUrl, api);
    });

    after(async () => {
      await server?.stop();
    });

    it('connector set-up flow', async (t) => {
      const ids = new Map(); // factory id → connector id

      await t.test('the mock SMS, email and social factories are installed (list and get)', async () => {
        const factories = await connectors.listFactories();
        await Promise.all(
          setups.map(async ({ connectorId }) => {
            assert.ok(factories.some(({ id }) => id === connectorId), `${connectorId} is not listed`);
            const factory = await connectors.getFactory(connectorId);
            assert.equal(factory.id, connectorId);
          }),
        );
      });

      await t.test('the connector table is cleaned up', async () => {
        await connectors.removeAll();
        assert.deepEqual(await connectors.list(), []);
      });

      await t.test('SMS, email and social connectors are created at once; each reads back its config', async () => {
        await Promise.all(
          setups.map(async ({ connectorId, config }) => {
            const created = await connectors.create({ connectorId, config });
            assert.equal(created.connectorId, connectorId);
            ids.set(connectorId, created.id);
            assert.deepEqual((await connectors.get(created.id)).config, config);
          }),
        );
        assert.equal((await connectors.list()).length, 3);
      });

      const socialId = () => ids.get(SOCIAL);
      if (replace) {
        await t.test('an invalid config update (the SMS config on the social connector) is refused; the stored config is unchanged', async () => {
          await expectRequestError(connectors.update(socialId(), { config: smsConfig }), {
            status: 400,
            code: 'connector.invalid_config',
          });
          assert.deepEqual((await connectors.get(socialId())).config, socialConfig);
        });

        await t.test('a valid config update answers and stores exactly the new config', async () => {
          const { config } = await connectors.update(socialId(), { config: socialNewConfig });
          assert.deepEqual(config, socialNewConfig);
          assert.deepEqual((await connectors.get(socialId())).config, socialNewConfig);
        });
      } else {
        await t.test('merge: the SMS config merged into the social config is valid, so the update succeeds', async () => {
          const { config } = await connectors.update(socialId(), { config: smsConfig });
          assert.deepEqual(config, { ...socialConfig, ...smsConfig });
        });

        await t.test('merge: an update whose merged config is invalid is refused; the stored config is unchanged', async () => {
          await expectRequestError(connectors.update(socialId(), { config: { clientId: 42 } }), {
            status: 400,
            code: 'connector.invalid_config',
          });
          assert.deepEqual((await connectors.get(socialId())).config, { ...socialConfig, ...smsConfig });
        });

        await t.test('merge: the new config replaces clientId and clientSecret and keeps the other keys', async () => {
          const { config } = await connectors.update(socialId(), { config: socialNewConfig });
          assert.deepEqual(config, { ...smsConfig, ...socialNewConfig });
        });
      }
      const finalSocialConfig = replace ? socialNewConfig : { ...smsConfig, ...socialNewConfig };

      await t.test('a second email connector replaces the first', async () => {
        const created = await connectors.create({ connectorId: ALTERNATIVE_EMAIL, config: alternativeEmailConfig });
        ids.set(ALTERNATIVE_EMAIL, created.id);
        const listed = await connectors.list();
        assert.ok(!listed.some(({ connectorId }) => connectorId === EMAIL), 'the first email connector is still listed');
        assert.deepEqual(listed.find(({ connectorId }) => connectorId === ALTERNATIVE_EMAIL)?.config, alternativeEmailConfig);
        await expectRequestError(connectors.get(ids.get(EMAIL)), { status: 404, code: 'entity.not_found' });
        ids.delete(EMAIL);
      });

      const alternativeId = () => ids.get(ALTERNATIVE_EMAIL);
      if (replace) {
        await t.test('the config resets to {} (valid for the alternative email factory)', async () => {
          const { config } = await connectors.update(alternativeId(), { config: {} });
          assert.deepEqual(config, {});
          assert.deepEqual((await connectors.get(alternativeId())).config, {});
        });
      } else {
        await t.test('merge: {config: {}} changes nothing; {config: null} resets the config to {}', async () => {
          const unchanged = await connectors.update(alternativeId(), { config: {} });
          assert.deepEqual(unchanged.config, alternativeEmailConfig);
          assert.deepEqual((await connectors.get(alternativeId())).config, alternativeEmailConfig);
          const { config } = await connectors.update(alternativeId(), { config: null });
          assert.deepEqual(config, {});
          assert.deepEqual((await connectors.get(alternativeId())).config, {});
        });
      }

      await t.test('a deleted connector is gone (DELETE 204, then GET 404)', async () => {
        const response = await connectors.remove(alternativeId());
        assert.equal(response.status, 204);
        await expectRequestError(connectors.get(alternativeId()), { status: 404, code: 'entity.not_found' });
        ids.delete(ALTERNATIVE_EMAIL);
      });

      await t.test('the list after set-up holds the SMS and social connectors with their configs', async () => {
        const listed = await connectors.list();
        assert.deepEqual(
          listed.map(({ connectorId }) => connectorId).sort(),
          [SMS, SOCIAL].sort(),
        );
        const sms = listed.find(({ id }) => id === ids.get(SMS));
        assert.deepEqual(
          { id: sms.id, connectorId: sms.connectorId, config: sms.config },
          { id: ids.get(SMS), connectorId: SMS, config: smsConfig },
        );
        const social = listed.find(({ id }) => id === socialId());
        assert.deepEqual(
          { id: social.id, connectorId: social.connectorId, config: social.config },
          { id: socialId(), connectorId: SOCIAL, config: finalSocialConfig },
        );
      });
    });

    it('create connector with non-exist connectorId: 422 connector.not_found_with_connector_id', async () => {
      await connectors.removeAll();
      await expectRequestError(connectors.create({ connectorId: 'non-exist-id' }), {
        status: 422,
        code: 'connector.not_found_with_connector_id',
      });
      assert.deepEqual(await connectors.list(), []);
    });

    it('create non standard social connector with target: 400 connector.cannot_overwrite_metadata_for_non_standard_connector', async () => {
      await connectors.removeAll();
      await expectRequestError(connectors.create({ connectorId: SOCIAL, metadata: { target: 'target' } }), {
        status: 400,
        code: 'connector.cannot_overwrite_metadata_for_non_standard_connector',
      });
      assert.deepEqual(await connectors.list(), []);
    });

    it('create duplicated social connector: 422 connector.multiple_instances_not_supported', async () => {
      await connectors.removeAll();
      const first = await connectors.create({ connectorId: SOCIAL });
      assert.deepEqual(first.config, {});
      await expectRequestError(connectors.create({ connectorId: SOCIAL }), {
        status: 422,
        code: 'connector.multiple_instances_not_supported',
      });
      assert.deepEqual((await connectors.list()).map(({ id }) => id), [first.id]);
    });

    it('override metadata for non-standard social connector: 400 connector.cannot_overwrite_metadata_for_non_standard_connector', async () => {
      await connectors.removeAll();
      const { id } = await connectors.create({ connectorId: SOCIAL });
      await expectRequestError(connectors.update(id, { metadata: { target: 'target' } }), {
        status: 400,
        code: 'connector.cannot_overwrite_metadata_for_non_standard_connector',
      });
      const stored = await connectors.get(id);
      assert.equal(stored.target, 'mock-social');
      assert.deepEqual(stored.metadata, {});
    });

    it('send SMS/email test message, without and with stored connectors', async (t) => {
      await connectors.removeAll();
      await outbox.clear();
      const sent = []; // receivers, in order

      const sendBoth = async () => {
        const phone = uniquePhone();
        const email = uniqueEmail();
        clearRecord('Sms');
        clearRecord('Email');
        assert.equal((await connectors.sendSmsTest(SMS, phone, smsConfig)).status, 204);
        assert.equal((await connectors.sendEmailTest(EMAIL, email, emailConfig)).status, 204);
        sent.push(phone, email);
        return { phone, email };
      };

      const expectLastMessages = ({ phone, email }) => {
        const sms = readRecord('Sms');
        assert.deepEqual(sms, { phone, code: '000000', type: 'Generic', payload: { code: '000000' } });
        const mail = readRecord('Email');
        const generic = emailConfig.templates.find(({ usageType }) => usageType === 'Generic');
        assert.deepEqual(mail, {
          address: email,
          code: '000000',
          type: 'Generic',
          payload: { code: '000000' },
          template: generic,
          subject: generic.subject,
          content: generic.content.replace('{{code}}', '000000'),
        });
      };

      let last;
      await t.test('without stored connectors, the config in the body is enough', async () => {
        assert.deepEqual(await connectors.list(), []);
        last = await sendBoth();
        expectLastMessages(last);
      });

      const created = [];
      await t.test('with stored SMS and email connectors (created without config)', async () => {
        created.push(
          ...(await Promise.all([SMS, EMAIL].map((connectorId) => connectors.create({ connectorId })))),
        );
        last = await sendBoth();
        expectLastMessages(last);
      });

      await t.test('an invalid config in the body is refused (400 connector.invalid_config); nothing is sent', async () => {
        const smsBefore = recordText('Sms');
        const emailBefore = recordText('Email');
        await expectRequestError(connectors.sendSmsTest(SMS, uniquePhone(), {}), {
          status: 400,
          code: 'connector.invalid_config',
        });
        await expectRequestError(connectors.sendEmailTest(EMAIL, uniqueEmail(), {}), {
          status: 400,
          code: 'connector.invalid_config',
        });
        assert.equal(recordText('Sms'), smsBefore);
        assert.equal(recordText('Email'), emailBefore);
      });

      await t.test('the outbox holds exactly the four messages sent', async () => {
        assert.deepEqual((await outbox.list()).map(({ to }) => to), sent);
      });

      await t.test('the stored connectors are deleted', async () => {
        for (const { id } of created) {
          assert.equal((await connectors.remove(id)).status, 204);
        }
        assert.deepEqual(await connectors.list(), []);
      });
    });
  });
}
