// Fixture specs: passwordless (Email / SMS) connectors published on npm.
// Each configSchema mirrors the package's zod configGuard (lib/index.js, src/types.ts).

import {
  REQUIRED_USAGE_TYPES,
  str,
  bool,
  containsUsageTypes,
  objectSchema,
  without,
  withValue,
} from '../schema-helpers.mjs';

// `templates: z.array(z.object(item)).refine(<contains Register, SignIn, ForgotPassword, Generic>)`
const templatesArray = (properties, required) => ({
  type: 'array',
  items: { type: 'object', properties, required },
  allOf: containsUsageTypes(REQUIRED_USAGE_TYPES),
});

// zod 3.24 `z.string().email()` regex
// /^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-\.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}$/i
// rewritten without look-aheads (dot-separated local-part segments, no leading/double dot).
const zodEmail = {
  type: 'string',
  description: "zod's email() regex (stricter/looser than format 'email' in places)",
  pattern: "^(?:[A-Za-z0-9_'+-]+\\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\\.)+[A-Za-z]{2,}$",
};

const pick = (templates, usageType) => templates.filter((t) => t.usageType !== usageType);

// ---------------------------------------------------------------- subject/content mail templates
const mailTemplates = [
  {
    usageType: 'SignIn',
    subject: 'Your sign-in code',
    content: '<p>Your sign-in verification code is <b>{{code}}</b>. It expires in 10 minutes.</p>',
  },
  {
    usageType: 'Register',
    subject: 'Confirm your email address',
    content: '<p>Your sign-up verification code is <b>{{code}}</b>. It expires in 10 minutes.</p>',
  },
  {
    usageType: 'ForgotPassword',
    subject: 'Reset your password',
    content: '<p>Your password reset code is <b>{{code}}</b>.</p>',
  },
  {
    usageType: 'Generic',
    subject: 'Your verification code',
    content: '<p>Your verification code is <b>{{code}}</b>.</p>',
  },
];
const mailTemplatesSchema = templatesArray({ usageType: str, subject: str, content: str }, [
  'usageType',
  'subject',
  'content',
]);

// ---------------------------------------------------------------- { usageType, content } sms templates
const smsTemplates = [
  { usageType: 'SignIn', content: 'Your sign-in code is {{code}}. It expires in 10 minutes.' },
  { usageType: 'Register', content: 'Your sign-up code is {{code}}. It expires in 10 minutes.' },
  { usageType: 'ForgotPassword', content: 'Your password reset code is {{code}}.' },
  { usageType: 'Generic', content: 'Your verification code is {{code}}.' },
];
const smsTemplatesSchema = templatesArray({ usageType: str, content: str }, ['usageType', 'content']);

// ---------------------------------------------------------------- samples
const aliyunDmSample = {
  accessKeyId: 'LTAI5tMockAccessKeyId0001',
  accessKeySecret: 'mockAliyunAccessKeySecret0123456',
  regionId: 'ap-southeast-1',
  accountName: 'noreply@mail.example.com',
  fromAlias: 'Example App',
  templates: mailTemplates,
};

const awsSesSample = {
  accessKeyId: 'AKIAMOCKACCESSKEY0001',
  accessKeySecret: 'mockAwsSecretAccessKey/0123456789abcdefABCD',
  region: 'eu-west-1',
  emailAddress: 'noreply@example.com',
  emailAddressIdentityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
  configurationSetName: 'logto-verification',
  templates: mailTemplates,
};

const httpEmailSample = {
  endpoint: 'https://hooks.example.com/logto/email',
  authorization: 'Bearer mock-webhook-token-3c9d1e',
};

const mailgunSample = {
  endpoint: 'https://api.eu.mailgun.net',
  domain: 'mg.example.com',
  apiKey: 'mock-mailgun-api-key-0a1b2c3d4e5f',
  from: 'Example App <noreply@mg.example.com>',
  deliveries: {
    SignIn: {
      subject: 'Your sign-in code: {{code}}',
      html: '<p>Your sign-in verification code is <b>{{code}}</b>.</p>',
      text: 'Your sign-in verification code is {{code}}.',
    },
    Register: {
      subject: 'Confirm your email',
      html: '<p>Your sign-up verification code is <b>{{code}}</b>.</p>',
    },
    ForgotPassword: {
      template: 'password-reset',
      variables: { product: 'Example App' },
      subject: 'Reset your password',
    },
    Generic: {
      subject: 'Your verification code',
      html: '<p>Your verification code is <b>{{code}}</b>.</p>',
      text: 'Your verification code is {{code}}.',
      replyTo: 'support@example.com',
    },
  },
};

const postmarkTemplates = [
  { usageType: 'SignIn', templateAlias: 'logto-sign-in' },
  { usageType: 'Register', templateAlias: 'logto-register' },
  { usageType: 'ForgotPassword', templateAlias: 'logto-forgot-password' },
  { usageType: 'Generic', templateAlias: 'logto-generic' },
];
const postmarkSample = {
  serverToken: 'mock-postmark-server-token-7e6d5c4b',
  fromEmail: 'noreply@example.com',
  templates: postmarkTemplates,
};

const sendgridTemplates = [
  {
    usageType: 'SignIn',
    type: 'text/plain',
    subject: 'Your sign-in code',
    content: 'Your sign-in verification code is {{code}}.',
  },
  {
    usageType: 'Register',
    type: 'text/plain',
    subject: 'Confirm your email address',
    content: 'Your sign-up verification code is {{code}}.',
  },
  {
    usageType: 'ForgotPassword',
    type: 'text/html',
    subject: 'Reset your password',
    content: '<p>Your password reset code is <b>{{code}}</b>.</p>',
  },
  {
    usageType: 'Generic',
    type: 'text/plain',
    subject: 'Your verification code',
    content: 'Your verification code is {{code}}.',
  },
];
const sendgridSample = {
  apiKey: 'SG.mockSendGridKey.0123456789abcdefghij',
  fromEmail: 'noreply@example.com',
  fromName: 'Example App',
  templates: sendgridTemplates,
};

// Aliyun SmsTemplateType (numeric TS enum): Notification 0, Promotion 1,
// VerificationCode 2 (zod default), InternationalMessage 6, PureNumber 7.
const ALIYUN_SMS_TEMPLATE_TYPES = [0, 1, 2, 6, 7];
const aliyunSmsTemplates = [
  { type: 2, usageType: 'SignIn', templateCode: 'SMS_271000001' },
  { type: 2, usageType: 'Register', templateCode: 'SMS_271000002' },
  { usageType: 'ForgotPassword', templateCode: 'SMS_271000003' },
  {
    type: 2,
    usageType: 'Generic',
    templateCode: { china: 'SMS_271000004', overseas: 'SMS_271000005' },
  },
];
const aliyunSmsSample = {
  accessKeyId: 'LTAI5tMockSmsAccessKey0001',
  accessKeySecret: 'mockAliyunSmsAccessKeySecret0123',
  signName: 'ExampleApp',
  templates: aliyunSmsTemplates,
  strictPhoneRegionNumberCheck: false,
};

const gatewayapiSample = {
  endpoint: 'https://gatewayapi.com/rest/mtsms',
  apiToken: 'mock-gatewayapi-token-5f4e3d2c1b',
  sender: 'ExampleApp',
  templates: smsTemplates,
};

const httpSmsSample = {
  endpoint: 'https://hooks.example.com/logto/sms',
  authorization: 'Bearer mock-sms-webhook-token-8a7b6c',
};

const smsaeroSample = {
  email: 'owner@example.com',
  apiKey: 'mock-smsaero-api-key-1a2b3c4d',
  senderName: 'ExampleApp',
  templates: smsTemplates,
};

const tencentTemplates = [
  { usageType: 'SignIn', templateCode: '1800001' },
  { usageType: 'Register', templateCode: '1800002' },
  { usageType: 'ForgotPassword', templateCode: '1800003' },
  { usageType: 'Generic', templateCode: '1800004' },
];
const tencentSample = {
  accessKeyId: 'AKIDmockTencentSecretId0001',
  accessKeySecret: 'mockTencentSecretKey0123456789ab',
  signName: 'ExampleApp',
  sdkAppId: '1400123456',
  region: 'ap-guangzhou',
  templates: tencentTemplates,
};

const vonageSample = {
  apiKey: 'a1b2c3d4',
  apiSecret: 'MockVonageSecret01',
  brandName: 'ExampleApp',
  templates: smsTemplates,
};

const yunpianTemplates = [
  { usageType: 'SignIn', content: '【示例应用】您的登录验证码是{{code}}，10分钟内有效。' },
  { usageType: 'Register', content: '【示例应用】您的注册验证码是{{code}}，10分钟内有效。' },
  { usageType: 'ForgotPassword', content: '【示例应用】您正在重置密码，验证码是{{code}}。' },
  { usageType: 'Generic', content: '【示例应用】您的验证码是{{code}}。' },
];
const yunpianSample = {
  apikey: 'mock0123456789abcdef0123456789ab',
  templates: yunpianTemplates,
  enableInternational: false,
  unsupportedCountriesMsg: 'International SMS is not enabled for this application.',
};

export const SPECS = [
  // ============================================================== Email
  {
    factoryId: 'aliyun-direct-mail',
    // Sending looks up stored i18n email templates first (getI18nEmailTemplate).
    emailTemplates: true,
    source: { kind: 'npm', package: '@logto/connector-aliyun-dm' },
    description: 'Send verification emails through Alibaba Cloud DirectMail (SingleSendMail API).',
    logo: { letters: 'ADM', color: '#ff6a00' },
    readme: [
      '# Aliyun Direct Mail',
      '',
      "Email connector that sends each verification email with Alibaba Cloud DirectMail's",
      '`SingleSendMail` action, signed with an AccessKey pair. Published as',
      '`@logto/connector-aliyun-dm`.',
      '',
      '## Config keys',
      '- `accessKeyId`, `accessKeySecret` (strings, required): the AccessKey pair.',
      '- `accountName` (string, required): the verified DirectMail sender address.',
      '- `regionId` (optional): one of `cn-hangzhou` (default), `ap-southeast-1`,',
      '  `ap-southeast-2`, `eu-central-1`, `us-east-1`.',
      '- `fromAlias` (string, optional): sender display name.',
      '- `templates` (array, required): `{ usageType, subject, content }` entries; `content`',
      '  is sent as HTML and both may use `{{code}}`. Must include `Register`, `SignIn`,',
      '  `ForgotPassword` and `Generic`.',
    ],
    configSchema: objectSchema(
      {
        accessKeyId: str,
        accessKeySecret: str,
        regionId: {
          enum: ['cn-hangzhou', 'ap-southeast-1', 'ap-southeast-2', 'eu-central-1', 'us-east-1'],
        },
        accountName: str,
        fromAlias: str,
        templates: mailTemplatesSchema,
      },
      ['accessKeyId', 'accessKeySecret', 'accountName', 'templates']
    ),
    sampleConfig: aliyunDmSample,
    invalidConfigs: [
      without(aliyunDmSample, 'accountName'),
      withValue(aliyunDmSample, 'regionId', 'cn-beijing'),
      withValue(aliyunDmSample, 'templates', pick(mailTemplates, 'Generic')),
      withValue(aliyunDmSample, 'templates', [
        ...mailTemplates,
        { usageType: 'MfaVerification', content: 'Your MFA code is {{code}}.' },
      ]),
    ],
  },
  {
    factoryId: 'aws-ses-mail',
    // Sending looks up stored i18n email templates first (getI18nEmailTemplate).
    emailTemplates: true,
    source: { kind: 'npm', package: '@logto/connector-aws-ses' },
    description: 'Send verification emails through Amazon SES (SESv2 SendEmail).',
    logo: { letters: 'SES', color: '#232f3e' },
    readme: [
      '# AWS SES',
      '',
      'Email connector that sends verification emails with the Amazon SES v2',
      '`SendEmail` API (simple HTML content). Published as `@logto/connector-aws-ses`.',
      '',
      '## Config keys',
      '- `accessKeyId`, `accessKeySecret` (strings, required): IAM credentials.',
      '- `region` (string, required): the SES region, e.g. `eu-west-1`.',
      '- `emailAddress`, `emailAddressIdentityArn` (strings, optional): sender address and',
      '  its identity ARN.',
      '- `feedbackForwardingEmailAddress`, `feedbackForwardingEmailAddressIdentityArn`,',
      '  `configurationSetName` (strings, optional): passed through to SES.',
      '- `templates` (array, required): `{ usageType, subject, content }` entries (HTML',
      '  content, `{{code}}` placeholders); must include `Register`, `SignIn`,',
      '  `ForgotPassword` and `Generic`.',
    ],
    configSchema: objectSchema(
      {
        accessKeyId: str,
        accessKeySecret: str,
        region: str,
        emailAddress: str,
        emailAddressIdentityArn: str,
        templates: mailTemplatesSchema,
        feedbackForwardingEmailAddress: str,
        feedbackForwardingEmailAddressIdentityArn: str,
        configurationSetName: str,
      },
      ['accessKeyId', 'accessKeySecret', 'region', 'templates']
    ),
    sampleConfig: awsSesSample,
    invalidConfigs: [
      without(awsSesSample, 'region'),
      withValue(awsSesSample, 'templates', pick(mailTemplates, 'Register')),
      withValue(awsSesSample, 'configurationSetName', null),
      withValue(
        awsSesSample,
        'templates',
        mailTemplates.map((t) => (t.usageType === 'SignIn' ? { ...t, subject: 42 } : t))
      ),
    ],
  },
  {
    factoryId: 'http-email',
    source: { kind: 'npm', package: '@logto/connector-http-email' },
    description: 'Hand each outgoing email to your own HTTP endpoint as a JSON POST.',
    logo: { letters: 'HE', color: '#455a64' },
    readme: [
      '# HTTP Email',
      '',
      'Email connector that does not render or send mail itself: it POSTs a JSON body',
      '`{ to, type, payload, ip? }` (the recipient, the template usage type and the',
      'payload such as the verification code) to your endpoint, which does the rest.',
      'Published as `@logto/connector-http-email`. There are no message templates.',
      '',
      '## Config keys',
      '- `endpoint` (string, required): the URL to POST to.',
      '- `authorization` (string, optional): sent as the `Authorization` header.',
    ],
    configSchema: objectSchema({ endpoint: str, authorization: str }, ['endpoint']),
    sampleConfig: httpEmailSample,
    invalidConfigs: [
      without(httpEmailSample, 'endpoint'),
      withValue(httpEmailSample, 'endpoint', ['https://hooks.example.com/logto/email']),
      withValue(httpEmailSample, 'authorization', null),
    ],
  },
  {
    factoryId: 'mailgun-email',
    // Sending looks up stored i18n email templates first (getI18nEmailTemplate).
    emailTemplates: true,
    source: { kind: 'npm', package: '@logto/connector-mailgun' },
    description: 'Send verification emails through the Mailgun messages API.',
    logo: { letters: 'MG', color: '#c02126' },
    readme: [
      '# Mailgun',
      '',
      'Email connector that posts messages to the Mailgun API for a sending domain.',
      'Published as `@logto/connector-mailgun`.',
      '',
      '## Config keys',
      '- `endpoint` (string, optional): API base URL; must be a URL ending in `.mailgun.net`',
      '  (e.g. `https://api.eu.mailgun.net`); defaults to `https://api.mailgun.net`.',
      '- `domain` (string, required): the Mailgun sending domain.',
      '- `apiKey` (string, required): the Mailgun API key.',
      '- `from` (string, required): the sender, e.g. `Name <noreply@your.domain>`.',
      '- `deliveries` (object, required): keyed by usage type (`SignIn`, `Generic`, ...;',
      '  `Generic` is the fallback). Each value is either `{ html, text?, subject?, replyTo? }`',
      '  (inline content, `{{code}}` placeholders) or `{ template, variables?, subject?,',
      '  replyTo? }` (a template stored in Mailgun; the payload is merged into its variables).',
    ],
    configSchema: objectSchema(
      {
        endpoint: {
          type: 'string',
          description: 'zod url() (WHATWG URL parse) + endsWith(".mailgun.net") on the raw string',
          format: 'url',
          endsWith: '.mailgun.net',
        },
        domain: str,
        apiKey: str,
        from: str,
        deliveries: {
          type: 'object',
          additionalProperties: {
            anyOf: [
              {
                type: 'object',
                properties: { html: str, text: str, subject: str, replyTo: str },
                required: ['html'],
              },
              {
                type: 'object',
                properties: {
                  template: str,
                  variables: { type: 'object' },
                  subject: str,
                  replyTo: str,
                },
                required: ['template'],
              },
            ],
          },
        },
      },
      ['domain', 'apiKey', 'from', 'deliveries']
    ),
    sampleConfig: mailgunSample,
    invalidConfigs: [
      withValue(mailgunSample, 'endpoint', 'https://api.mailgun.org'),
      withValue(mailgunSample, 'endpoint', 'api.mailgun.net'),
      withValue(mailgunSample, 'deliveries', {
        ...mailgunSample.deliveries,
        Generic: { subject: 'Your verification code', text: 'Code: {{code}}' },
      }),
      withValue(mailgunSample, 'deliveries', {
        ...mailgunSample.deliveries,
        ForgotPassword: { template: 'password-reset', variables: ['product'] },
      }),
    ],
  },
  {
    factoryId: 'postmark-mail',
    source: { kind: 'npm', package: '@logto/connector-postmark' },
    description: 'Send verification emails from templates stored in Postmark.',
    logo: { letters: 'PM', color: '#ffde00', textColor: '#1a1a1a' },
    readme: [
      '# Postmark',
      '',
      'Email connector that calls Postmark "send with template": the message body lives',
      'in a Postmark template and Logto only passes the payload (e.g. `code`) as the',
      'template model. Published as `@logto/connector-postmark`.',
      '',
      '## Config keys (all required)',
      '- `serverToken` (string): the Postmark server API token.',
      '- `fromEmail` (string): a confirmed Postmark sender address.',
      '- `templates` (array): `{ usageType, templateAlias }` entries mapping each usage',
      '  type to a Postmark template alias; must include `Register`, `SignIn`,',
      '  `ForgotPassword` and `Generic`.',
    ],
    configSchema: objectSchema(
      {
        serverToken: str,
        fromEmail: str,
        templates: templatesArray({ usageType: str, templateAlias: str }, [
          'usageType',
          'templateAlias',
        ]),
      },
      ['serverToken', 'fromEmail', 'templates']
    ),
    sampleConfig: postmarkSample,
    invalidConfigs: [
      without(postmarkSample, 'serverToken'),
      withValue(postmarkSample, 'templates', pick(postmarkTemplates, 'SignIn')),
      withValue(
        postmarkSample,
        'templates',
        postmarkTemplates.map((t) => ({ usageType: t.usageType, templateId: 12345 }))
      ),
    ],
  },
  {
    factoryId: 'sendgrid-email-service',
    // Sending looks up stored i18n email templates first (getI18nEmailTemplate).
    emailTemplates: true,
    source: { kind: 'npm', package: '@logto/connector-sendgrid-email' },
    description: 'Send verification emails through the Twilio SendGrid v3 Mail Send API.',
    logo: { letters: 'SG', color: '#1a82e2' },
    readme: [
      '# SendGrid Email',
      '',
      'Email connector that sends verification emails with the SendGrid v3 Mail Send',
      'API. Published as `@logto/connector-sendgrid-email`.',
      '',
      '## Config keys',
      '- `apiKey` (string, required): a SendGrid API key with Mail Send access.',
      '- `fromEmail` (string, required): a verified sender address.',
      '- `fromName` (string, optional): sender display name.',
      '- `templates` (array, required): `{ usageType, type, subject, content }` entries;',
      '  `type` is `text/plain` or `text/html`, `subject`/`content` may use `{{code}}`.',
      '  Must include `Register`, `SignIn`, `ForgotPassword` and `Generic`.',
    ],
    configSchema: objectSchema(
      {
        apiKey: str,
        fromEmail: str,
        fromName: str,
        templates: templatesArray(
          {
            usageType: str,
            type: { enum: ['text/plain', 'text/html'] },
            subject: str,
            content: str,
          },
          ['usageType', 'type', 'subject', 'content']
        ),
      },
      ['apiKey', 'fromEmail', 'templates']
    ),
    sampleConfig: sendgridSample,
    invalidConfigs: [
      without(sendgridSample, 'fromEmail'),
      withValue(sendgridSample, 'templates', pick(sendgridTemplates, 'ForgotPassword')),
      withValue(
        sendgridSample,
        'templates',
        sendgridTemplates.map((t) => (t.usageType === 'Generic' ? { ...t, type: 'text/markdown' } : t))
      ),
      withValue(
        sendgridSample,
        'templates',
        sendgridTemplates.map(({ type: _type, ...t }) => t)
      ),
    ],
  },

  // ============================================================== SMS
  {
    factoryId: 'aliyun-short-message-service',
    source: { kind: 'npm', package: '@logto/connector-aliyun-sms' },
    description: 'Send verification codes by SMS through Alibaba Cloud Short Message Service.',
    logo: { letters: 'AS', color: '#ff6a00' },
    readme: [
      '# Aliyun Short Message Service',
      '',
      'SMS connector for Alibaba Cloud SMS (`SendSms`). The message text is an approved',
      'template on the Aliyun side; Logto sends its code and the payload (e.g. `code`) as',
      'template parameters. Published as `@logto/connector-aliyun-sms`.',
      '',
      '## Config keys',
      '- `accessKeyId`, `accessKeySecret` (strings, required): the AccessKey pair.',
      '- `signName` (string, required): the approved SMS signature.',
      '- `templates` (array, required): `{ usageType, templateCode, type? }` entries; must',
      '  include `Register`, `SignIn`, `ForgotPassword` and `Generic`. `templateCode` is a',
      '  string or `{ china, overseas }` (chosen by the phone number); `type` is a number:',
      '  0 notification, 1 promotion, 2 verification code (default), 6 international, 7 pure number.',
      '- `strictPhoneRegionNumberCheck` (boolean, optional): stricter mainland-China number',
      '  detection when choosing between `china` and `overseas`.',
    ],
    configSchema: objectSchema(
      {
        accessKeyId: str,
        accessKeySecret: str,
        signName: str,
        templates: templatesArray(
          {
            type: { enum: ALIYUN_SMS_TEMPLATE_TYPES },
            usageType: str,
            templateCode: {
              anyOf: [
                str,
                {
                  type: 'object',
                  properties: { china: str, overseas: str },
                  required: ['china', 'overseas'],
                },
              ],
            },
          },
          ['usageType', 'templateCode']
        ),
        strictPhoneRegionNumberCheck: bool,
      },
      ['accessKeyId', 'accessKeySecret', 'signName', 'templates']
    ),
    sampleConfig: aliyunSmsSample,
    invalidConfigs: [
      withValue(
        aliyunSmsSample,
        'templates',
        aliyunSmsTemplates.map((t) => (t.usageType === 'SignIn' ? { ...t, type: '2' } : t))
      ),
      withValue(
        aliyunSmsSample,
        'templates',
        aliyunSmsTemplates.map((t) => (t.usageType === 'Register' ? { ...t, type: 3 } : t))
      ),
      withValue(
        aliyunSmsSample,
        'templates',
        aliyunSmsTemplates.map((t) =>
          t.usageType === 'Generic' ? { ...t, templateCode: { china: 'SMS_271000004' } } : t
        )
      ),
      withValue(aliyunSmsSample, 'templates', pick(aliyunSmsTemplates, 'Generic')),
    ],
  },
  {
    factoryId: 'gatewayapi-sms',
    source: { kind: 'npm', package: '@logto/connector-gatewayapi-sms' },
    description: 'Send verification codes by SMS through the GatewayAPI REST API.',
    logo: { letters: 'GA', color: '#0b6e4f' },
    readme: [
      '# GatewayAPI SMS',
      '',
      'SMS connector that POSTs messages to the GatewayAPI `mtsms` REST endpoint with',
      'token (basic) authentication. Published as `@logto/connector-gatewayapi-sms`.',
      '',
      '## Config keys (all required)',
      '- `endpoint` (string): the API URL, normally `https://gatewayapi.com/rest/mtsms`.',
      '- `apiToken` (string): the GatewayAPI token.',
      '- `sender` (string): the sender name or number shown to recipients.',
      '- `templates` (array): `{ usageType, content }` entries (content may use `{{code}}`);',
      '  must include `Register`, `SignIn`, `ForgotPassword` and `Generic`.',
    ],
    configSchema: objectSchema(
      { endpoint: str, apiToken: str, sender: str, templates: smsTemplatesSchema },
      ['endpoint', 'apiToken', 'sender', 'templates']
    ),
    sampleConfig: gatewayapiSample,
    invalidConfigs: [
      without(gatewayapiSample, 'endpoint'),
      withValue(gatewayapiSample, 'templates', pick(smsTemplates, 'SignIn')),
      withValue(gatewayapiSample, 'sender', 12345),
    ],
  },
  {
    factoryId: 'http-sms',
    source: { kind: 'npm', package: '@logto/connector-http-sms' },
    description: 'Hand each outgoing text message to your own HTTP endpoint as a JSON POST.',
    logo: { letters: 'HS', color: '#37474f' },
    readme: [
      '# HTTP SMS',
      '',
      'SMS connector that does not send messages itself: it POSTs a JSON body',
      '`{ to, type, payload, ip? }` (the phone number, the template usage type and the',
      'payload such as the verification code) to your endpoint, which does the rest.',
      'Published as `@logto/connector-http-sms`. There are no message templates.',
      '',
      '## Config keys',
      '- `endpoint` (string, required): the URL to POST to.',
      '- `authorization` (string, optional): sent as the `Authorization` header when set.',
    ],
    configSchema: objectSchema({ endpoint: str, authorization: str }, ['endpoint']),
    sampleConfig: httpSmsSample,
    invalidConfigs: [
      without(httpSmsSample, 'endpoint'),
      withValue(httpSmsSample, 'endpoint', null),
      withValue(httpSmsSample, 'authorization', { scheme: 'Bearer' }),
    ],
  },
  {
    factoryId: 'smsaero-short-message-service',
    source: { kind: 'npm', package: '@logto/connector-smsaero' },
    description: 'Send verification codes by SMS through the SMS Aero gateway.',
    logo: { letters: 'SA', color: '#e53935' },
    readme: [
      '# SMS Aero',
      '',
      'SMS connector for the SMS Aero gateway; authenticates with the account email',
      'and API key (HTTP basic). Published as `@logto/connector-smsaero`.',
      '',
      '## Config keys (all required)',
      '- `email` (string): the SMS Aero account email; must be a valid email address.',
      '- `apiKey` (string): the SMS Aero API key.',
      '- `senderName` (string): the approved sender signature.',
      '- `templates` (array): `{ usageType, content }` entries (content may use `{{code}}`);',
      '  must include `Register`, `SignIn`, `ForgotPassword` and `Generic`.',
    ],
    configSchema: objectSchema(
      { email: zodEmail, apiKey: str, senderName: str, templates: smsTemplatesSchema },
      ['email', 'apiKey', 'senderName', 'templates']
    ),
    sampleConfig: smsaeroSample,
    invalidConfigs: [
      withValue(smsaeroSample, 'email', 'owner.example.com'),
      withValue(smsaeroSample, 'email', 'owner..name@example.com'),
      withValue(smsaeroSample, 'email', 'owner@example.c'),
      withValue(smsaeroSample, 'templates', pick(smsTemplates, 'Register')),
    ],
  },
  {
    factoryId: 'tencent-short-message-service',
    source: { kind: 'npm', package: '@logto/connector-tencent-sms' },
    description: 'Send verification codes by SMS through Tencent Cloud SMS.',
    logo: { letters: 'TC', color: '#006eff' },
    readme: [
      '# Tencent Short Message Service',
      '',
      'SMS connector for Tencent Cloud SMS (`SendSms`, TC3 signature). The message text',
      'is an approved template on the Tencent side; Logto passes the code as its',
      'parameter. Published as `@logto/connector-tencent-sms`.',
      '',
      '## Config keys (all required)',
      '- `accessKeyId`, `accessKeySecret` (strings): the SecretId / SecretKey pair.',
      '- `signName` (string): the approved SMS signature.',
      '- `sdkAppId` (string): the SMS application SdkAppId.',
      '- `region` (string): the API region, e.g. `ap-guangzhou`.',
      '- `templates` (array): `{ usageType, templateCode }` entries (template IDs); must',
      '  include `Register`, `SignIn`, `ForgotPassword` and `Generic`.',
    ],
    configSchema: objectSchema(
      {
        accessKeyId: str,
        accessKeySecret: str,
        signName: str,
        sdkAppId: str,
        region: str,
        templates: templatesArray({ usageType: str, templateCode: str }, ['usageType', 'templateCode']),
      },
      ['accessKeyId', 'accessKeySecret', 'signName', 'sdkAppId', 'region', 'templates']
    ),
    sampleConfig: tencentSample,
    invalidConfigs: [
      without(tencentSample, 'sdkAppId'),
      withValue(tencentSample, 'sdkAppId', 1400123456),
      withValue(tencentSample, 'templates', pick(tencentTemplates, 'ForgotPassword')),
    ],
  },
  {
    factoryId: 'vonage-sms',
    source: { kind: 'npm', package: '@logto/connector-vonage-sms' },
    description: 'Send verification codes by SMS through the Vonage (Nexmo) SMS API.',
    logo: { letters: 'VN', color: '#7c3aed' },
    readme: [
      '# Vonage SMS',
      '',
      'SMS connector that sends text messages with the Vonage SMS API (formerly Nexmo).',
      'Published as `@logto/connector-vonage-sms`.',
      '',
      '## Config keys (all required)',
      '- `apiKey`, `apiSecret` (strings): the Vonage API credentials.',
      '- `brandName` (string): the sender name or number shown to recipients.',
      '- `templates` (array): `{ usageType, content }` entries (content may use `{{code}}`);',
      '  must include `Register`, `SignIn`, `ForgotPassword` and `Generic`.',
    ],
    configSchema: objectSchema(
      { apiKey: str, apiSecret: str, brandName: str, templates: smsTemplatesSchema },
      ['apiKey', 'apiSecret', 'brandName', 'templates']
    ),
    sampleConfig: vonageSample,
    invalidConfigs: [
      without(vonageSample, 'brandName'),
      withValue(vonageSample, 'templates', pick(smsTemplates, 'Generic')),
      withValue(
        vonageSample,
        'templates',
        smsTemplates.map((t) => (t.usageType === 'SignIn' ? { usageType: 'SignIn', text: t.content } : t))
      ),
    ],
  },
  {
    factoryId: 'yunpian-sms',
    source: { kind: 'npm', package: '@logto/connector-yunpian-sms' },
    description: 'Send verification codes by SMS through the YunPian (云片) single-send API.',
    logo: { letters: 'YP', color: '#00a0e9' },
    readme: [
      '# YunPian SMS',
      '',
      'SMS connector for the YunPian single-send API. Message text must match a template',
      'approved in the YunPian console (including its 【signature】 prefix). Published as',
      '`@logto/connector-yunpian-sms`.',
      '',
      '## Config keys',
      '- `apikey` (string, required): the YunPian API key.',
      '- `templates` (array, required): `{ usageType, content }` entries (content may use',
      '  `{{code}}`); must include `Register`, `SignIn`, `ForgotPassword` and `Generic`.',
      '- `enableInternational` (boolean, optional): allow numbers outside mainland China;',
      '  when off, such numbers are not sent to.',
      '- `unsupportedCountriesMsg` (string, optional): error message returned for such',
      '  numbers while `enableInternational` is off (otherwise they are skipped silently).',
    ],
    configSchema: objectSchema(
      {
        apikey: str,
        templates: smsTemplatesSchema,
        enableInternational: bool,
        unsupportedCountriesMsg: str,
      },
      ['apikey', 'templates']
    ),
    sampleConfig: yunpianSample,
    invalidConfigs: [
      without(yunpianSample, 'apikey'),
      withValue(yunpianSample, 'templates', pick(yunpianTemplates, 'SignIn')),
      withValue(yunpianSample, 'enableInternational', 'true'),
    ],
  },
];
