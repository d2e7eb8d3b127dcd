// Fixture specs, group social-1: Alipay (native + web), Amazon, Apple, Microsoft Entra ID
// (Azure AD), DingTalk, Discord, Facebook, Feishu, GitLab, Hugging Face, Kakao, KOOK.
// Same shape as the entries of ../specs.mjs (see tools/catalog/README.md).

import { str, objectSchema, without, withValue } from '../schema-helpers.mjs';

// ---------------------------------------------------------------- helpers

// One astral (non-BMP) code point: two UTF-16 units in zod's `.max()`, one code point in
// JSON Schema `maxLength`. Literal characters (not \u{...} escapes) so that the same pattern
// means the same thing to ajv (`u` flag) and to the Rust regex engines.
const ASTRAL = '[\u{10000}-\u{10FFFF}]';
const NOT_ASTRAL = '[^\u{10000}-\u{10FFFF}]';

/**
 * A string of at most `max` UTF-16 code units (zod `z.string().max(max)`).
 * UTF-16 length = code points + astral code points, so the string is too long exactly when,
 * for some k >= 1, it holds at least k astral code points and at least max + 1 - k code
 * points (k = 0 is plain `maxLength`). Written with anchored, backtracking-free patterns.
 */
export const utf16String = (max) => {
  const tooLong = [];
  for (let k = 1; k <= Math.ceil((max + 1) / 2); k += 1) {
    const minLength = max + 1 - k;
    tooLong.push({
      type: 'string',
      pattern: `^(?:${NOT_ASTRAL}*${ASTRAL}){${k}}`,
      ...(minLength > k ? { minLength } : {}),
    });
  }
  return { type: 'string', maxLength: max, not: { anyOf: tooLong } };
};

const clientIdSecretScope = objectSchema({ clientId: str, clientSecret: str, scope: str }, [
  'clientId',
  'clientSecret',
]);

const PLACEHOLDER_RSA_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAplaceholderplaceholderplaceholderplaceholderplaceholder',
  'cGxhY2Vob2xkZXIta2V5LW5vdC1hLXJlYWwta2V5LWZvci10ZXN0cy1vbmx5',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

// ---------------------------------------------------------------- alipay
const alipayNativeSample = {
  appId: '2021004100000000',
  privateKey: PLACEHOLDER_RSA_KEY,
  signType: 'RSA2',
};
const alipayWebSample = {
  appId: '2021004100000001',
  privateKey: PLACEHOLDER_RSA_KEY,
  signType: 'RSA2',
  charset: 'utf8',
  scope: 'auth_user',
};

// ---------------------------------------------------------------- azure ad
// The package's MSAL authority, `path.join(cloudInstance, tenantId)`, as a value source.
const azureAuthority = { pathJoin: [{ config: 'cloudInstance' }, { config: 'tenantId' }] };
// MSAL's PromptValue (msal-common 14).
const MSAL_PROMPTS = ['login', 'select_account', 'consent', 'none', 'create', 'no_session'];

const azureSample = {
  clientId: '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c',
  clientSecret: 'placeholder~AzureClientSecret.0123456789',
  cloudInstance: 'https://login.microsoftonline.com',
  tenantId: 'common',
  prompts: ['select_account'],
  scopes: 'openid profile',
};

const azureSchema = objectSchema(
  {
    clientId: str,
    clientSecret: str,
    cloudInstance: str,
    tenantId: str,
    prompts: { type: 'array', items: { enum: ['none', 'login', 'consent', 'select_account'] } },
    scopes: str,
  },
  ['clientId', 'clientSecret', 'cloudInstance', 'tenantId']
);

// ---------------------------------------------------------------- samples (plain oauth)
const dingtalkSample = {
  clientId: 'dingplaceholder0a1b2c3d',
  clientSecret: 'placeholder-dingtalk-client-secret-0123456789abcdef',
  scope: 'openid corpid',
};
const discordSample = {
  clientId: '1123456789012345678',
  clientSecret: 'placeholderDiscordSecret_0123456789',
  scope: 'identify email guilds',
};
const facebookSample = {
  clientId: '1234567890123456',
  clientSecret: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  scope: 'email,public_profile',
};
const gitlabSample = {
  clientId: 'placeholder0gitlab1application2id3456789abcdef0123456789abcdef01',
  clientSecret: 'gloas-placeholder0gitlab1secret2value3456789abcdef0123456789abcd',
  scope: 'openid profile email',
};
const huggingfaceSample = {
  clientId: '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  clientSecret: '0a1b2c3d-placeholder-hf-client-secret',
  scope: 'openid profile email',
};
const kookSample = {
  clientId: 'placeholderKookClientId',
  clientSecret: 'placeholderKookClientSecret0123',
  scope: 'get_user_info',
};

export const SPECS = [
  {
    factoryId: 'alipay-native',
    source: { kind: 'npm', package: '@logto/connector-alipay-native' },
    description: 'Sign in with Alipay from a native mobile app that hands off to the Alipay app.',
    logo: { letters: 'AP', color: '#1677ff' },
    readme: [
      '# Alipay (native)',
      '',
      'Social sign-in with Alipay for native iOS/Android apps: the authorization URI is an',
      '`alipay://` link (app id + state) that the app passes to the Alipay SDK; the returned',
      '`auth_code` is exchanged through the signed Alipay OpenAPI gateway for the user profile.',
      'Published as `@logto/connector-alipay-native`.',
      '',
      '## Config keys (all required)',
      '- `appId` (string): the Alipay open-platform app id, at most 16 characters (counted in',
      '  UTF-16 units, as zod counts them).',
      '- `privateKey` (string): the RSA private key (PEM) used to sign gateway requests.',
      '- `signType` (`RSA` or `RSA2`): RSA-SHA1 or RSA-SHA256 signatures; the console suggests',
      '  `RSA2`, but the key must be present in the stored config.',
    ],
    configSchema: objectSchema(
      { appId: utf16String(16), privateKey: str, signType: { enum: ['RSA', 'RSA2'] } },
      ['appId', 'privateKey', 'signType']
    ),
    sampleConfig: alipayNativeSample,
    invalidConfigs: [
      // 17 characters.
      withValue(alipayNativeSample, 'appId', '20210041000000001'),
      // 9 code points but 18 UTF-16 units: JSON Schema maxLength alone would accept it.
      withValue(alipayNativeSample, 'appId', '\u{1F511}'.repeat(9)),
      // 7 astral + 3 BMP = 10 code points, 17 UTF-16 units.
      withValue(alipayNativeSample, 'appId', `${'\u{20BB7}'.repeat(7)}app`),
      without(alipayNativeSample, 'signType'),
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'alipay://' },
      query: [
        ['app_id', { config: 'appId' }],
        ['state', { input: 'state' }],
      ],
    },
  },
  {
    factoryId: 'alipay-web',
    source: { kind: 'npm', package: '@logto/connector-alipay-web' },
    description: 'Sign in with an Alipay account from a website through Alipay web authorization.',
    logo: { letters: 'AW', color: '#0e5bd8' },
    readme: [
      '# Alipay (web)',
      '',
      'Social sign-in with Alipay for websites: the browser is sent to Alipay\'s public-app',
      'authorization page, and the returned `auth_code` is exchanged through the signed',
      'Alipay OpenAPI gateway for the user profile. Published as `@logto/connector-alipay-web`.',
      '',
      '## Config keys',
      '- `appId` (string, required): the Alipay open-platform app id (the guard sets no length',
      '  limit here, unlike the native connector).',
      '- `privateKey` (string, required): RSA private key (PEM) that signs gateway requests.',
      '- `signType` (required): `RSA` (RSA-SHA1) or `RSA2` (RSA-SHA256).',
      '- `charset` (optional): `utf8` (default) or `gbk`, the charset used when signing.',
      '- `scope` (string, optional): authorization scope(s), space-separated; `auth_user`',
      '  when omitted.',
    ],
    configSchema: objectSchema(
      {
        appId: str,
        privateKey: str,
        signType: { enum: ['RSA', 'RSA2'] },
        charset: { enum: ['gbk', 'utf8'] },
        scope: str,
      },
      ['appId', 'privateKey', 'signType']
    ),
    sampleConfig: alipayWebSample,
    invalidConfigs: [
      withValue(alipayWebSample, 'charset', 'utf-8'),
      withValue(alipayWebSample, 'signType', 'RSA256'),
      without(alipayWebSample, 'privateKey'),
      withValue(alipayWebSample, 'charset', null),
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'https://openauth.alipay.com/oauth2/publicAppAuthorize.htm' },
      query: [
        ['app_id', { config: 'appId' }],
        // The package sends encodeURI(redirectUri), form-encoded again: not expressible.
        ['redirect_uri', { input: 'redirectUri' }, { encoding: 'uriForm' }],
        ['scope', { config: 'scope', default: 'auth_user' }],
        ['state', { input: 'state' }],
      ],
    },
  },
  {
    factoryId: 'amazon-universal',
    source: { kind: 'npm', package: '@logto/connector-amazon' },
    description: 'Sign in with an Amazon account using Login with Amazon (OAuth 2.0).',
    logo: { letters: 'AZ', color: '#ff9900', textColor: '#232f3e' },
    logoDarkStyle: { letters: 'AZ', color: '#232f3e', textColor: '#ff9900' },
    readme: [
      '# Amazon',
      '',
      'Social sign-in with Login with Amazon: OAuth 2.0 authorization-code flow at',
      'amazon.com, then the user id, name and email are read from the Amazon profile API.',
      'Published as `@logto/connector-amazon`. The redirect URI is kept in the sign-in',
      'session, so this mock answers 501 for authorization URIs, as Logto does without one.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the Login with Amazon security profile client ID.',
      '- `clientSecret` (string, required): the matching client secret.',
      '- `scope` (string, optional): space-separated scopes; `profile` when omitted.',
    ],
    configSchema: clientIdSecretScope,
    sampleConfig: {
      clientId: 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef',
      clientSecret: 'amzn1.oa2-cs.v1.placeholder0123456789abcdef0123456789abcdef',
      scope: 'profile postal_code',
    },
    invalidConfigs: [
      { clientId: 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef' },
      {
        clientId: 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef',
        clientSecret: 'amzn1.oa2-cs.v1.placeholder0123456789abcdef0123456789abcdef',
        scope: ['profile'],
      },
      { clientId: null, clientSecret: 'amzn1.oa2-cs.v1.placeholder0123456789abcdef0123456789abcdef' },
    ],
    authorization: { type: 'notImplemented' },
  },
  {
    factoryId: 'apple-universal',
    source: { kind: 'npm', package: '@logto/connector-apple' },
    description: 'Sign in with Apple ID on the web and Apple platforms.',
    logo: { letters: 'A', color: '#000000' },
    logoDarkStyle: { letters: 'A', color: '#ffffff', textColor: '#000000' },
    readme: [
      '# Apple',
      '',
      'Social sign-in with "Sign in with Apple": Apple returns an ID token by form post,',
      'which is verified against Apple\'s JWKS (issuer `https://appleid.apple.com`, audience =',
      'the configured identifier). Published as `@logto/connector-apple`.',
      'A nonce is stored in the sign-in session, so authorization URIs answer 501 here.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the Services ID (web) or bundle ID registered with Apple.',
      '- `scope` (string, optional): space-separated, e.g. `name email`; empty when omitted.',
    ],
    configSchema: objectSchema({ clientId: str, scope: str }, ['clientId']),
    sampleConfig: { clientId: 'com.example.app.signin', scope: 'name email' },
    invalidConfigs: [
      { scope: 'name email' },
      { clientId: 'com.example.app.signin', scope: true },
      { clientId: ['com.example.app.signin'] },
    ],
    authorization: { type: 'notImplemented' },
  },
  {
    factoryId: 'azuread-universal',
    source: { kind: 'npm', package: '@logto/connector-azuread' },
    description: 'Sign in with Microsoft work, school or personal accounts via Microsoft Entra ID.',
    logo: { letters: 'MS', color: '#0078d4' },
    readme: [
      '# Microsoft (Azure AD / Entra ID)',
      '',
      'Social sign-in with Microsoft accounts through Microsoft Entra ID (Azure AD), using',
      'MSAL\'s authorization-code flow, then the profile is read from Microsoft Graph `/me`.',
      'Published as `@logto/connector-azuread`.',
      '',
      '## Config keys',
      '- `clientId`, `clientSecret` (strings, required): the app registration credentials.',
      '- `cloudInstance` (string, required): the login host, e.g.',
      '  `https://login.microsoftonline.com`.',
      '- `tenantId` (string, required): a tenant id or domain, or `common` / `organizations`.',
      '- `prompts` (array, optional): `none`, `login`, `consent` or `select_account`',
      '  (MSAL only accepts a single one at authorization time).',
      '- `scopes` (string, optional): extra space-separated scopes; `User.Read` is always',
      '  requested, and MSAL adds `openid profile offline_access`.',
    ],
    configSchema: azureSchema,
    sampleConfig: azureSample,
    invalidConfigs: [
      without(azureSample, 'tenantId'),
      withValue(azureSample, 'prompts', ['select_account', 'always']),
      withValue(azureSample, 'prompts', 'consent'),
      withValue(azureSample, 'scopes', ['openid', 'profile']),
    ],
    authorization: {
      type: 'redirect',
      // MSAL throws (Logto answers 500) for a non-https authority and for a prompt that is
      // not one of its values: several configured prompts joined with a space are not.
      throws: [
        {
          when: { text: { ...azureAuthority, urlPart: 'protocol' }, notIn: ['https:'] },
          reason: 'MSAL ClientConfigurationError authority_uri_insecure',
        },
        {
          when: { text: { config: 'prompts', join: ' ' }, notIn: MSAL_PROMPTS },
          reason: 'MSAL ClientConfigurationError invalid_prompt_value',
        },
      ],
      // The package's authority is `new URL(path.join(cloudInstance, tenantId))`; MSAL lower-cases
      // it and, for its known clouds, builds `https://<host>/<first path segment>/oauth2/v2.0/
      // authorize` (no segment: the text `undefined`). Other hosts are looked up over the network
      // by MSAL; the rule assumes the same layout.
      endpoint: {
        items: [
          { value: 'https://' },
          { ...azureAuthority, urlPart: 'host' },
          { value: '/' },
          { ...azureAuthority, urlPart: 'firstPathSegment', lowercase: true, default: 'undefined' },
          { value: '/oauth2/v2.0/authorize' },
        ],
        join: '',
      },
      encoding: 'component',
      query: [
        ['client_id', { config: 'clientId' }],
        // deduplicate(['User.Read', ...scopes.split(' ')]) + openid profile offline_access,
        // trimmed, without empty ones, first occurrence kept (MSAL's ScopeSet).
        [
          'scope',
          {
            items: [{ value: 'User.Read' }, { config: 'scopes' }, { value: 'openid profile offline_access' }],
            split: ' ',
            trim: true,
            unique: true,
            join: ' ',
          },
        ],
        ['redirect_uri', { input: 'redirectUri' }],
        // A fresh random UUID on every call.
        ['client-request-id', { random: 'uuid' }],
        ['response_mode', { value: 'query' }],
        ['response_type', { value: 'code' }],
        ['x-client-SKU', { value: 'msal.js.node' }],
        ['x-client-VER', { value: '2.16.3' }],
        // Real: the host's process.platform / process.arch (Logto's image: linux, x64).
        ['x-client-OS', { value: 'linux' }],
        ['x-client-CPU', { value: 'x64' }],
        ['client_info', { value: '1' }],
        ['prompt', { config: 'prompts', join: ' ' }],
        ['state', { input: 'state' }],
      ],
    },
  },
  {
    factoryId: 'dingtalk-web',
    source: { kind: 'npm', package: '@logto/connector-dingtalk-web' },
    description: 'Sign in with a DingTalk account from a website via DingTalk OAuth 2.0.',
    logo: { letters: 'DT', color: '#3296fa' },
    readme: [
      '# DingTalk (web)',
      '',
      'Social sign-in with DingTalk for websites: OAuth 2.0 authorization code at',
      'login.dingtalk.com (always with `prompt=consent`), then the user-access-token and',
      '`contact/users/me` APIs provide the union id, nickname, avatar, email and mobile.',
      'Published as `@logto/connector-dingtalk-web`.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the DingTalk app key (Client ID).',
      '- `clientSecret` (string, required): the app secret (Client Secret).',
      '- `scope` (string, optional): space-separated scopes; `openid` when omitted.',
    ],
    configSchema: clientIdSecretScope,
    sampleConfig: dingtalkSample,
    invalidConfigs: [
      without(dingtalkSample, 'clientSecret'),
      withValue(dingtalkSample, 'clientId', 123456),
      withValue(dingtalkSample, 'scope', null),
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'https://login.dingtalk.com/oauth2/auth' },
      query: [
        ['client_id', { config: 'clientId' }],
        // The package sends encodeURI(redirectUri), form-encoded again: not expressible.
        ['redirect_uri', { input: 'redirectUri' }, { encoding: 'uriForm' }],
        ['response_type', { value: 'code' }],
        ['scope', { config: 'scope', default: 'openid' }],
        ['state', { input: 'state' }],
        ['prompt', { value: 'consent' }],
      ],
    },
  },
  {
    factoryId: 'discord-universal',
    source: { kind: 'npm', package: '@logto/connector-discord' },
    description: 'Sign in with a Discord account through Discord OAuth2.',
    logo: { letters: 'DC', color: '#5865f2' },
    readme: [
      '# Discord',
      '',
      'Social sign-in with Discord: OAuth2 authorization code at discord.com, then the',
      'user is read from `users/@me` (id, username, avatar, and the email when verified).',
      'Published as `@logto/connector-discord`.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the Discord application client ID.',
      '- `clientSecret` (string, required): the application client secret.',
      '- `scope` (string, optional): space-separated scopes; `identify email` when omitted.',
    ],
    configSchema: clientIdSecretScope,
    sampleConfig: discordSample,
    invalidConfigs: [
      without(discordSample, 'clientId'),
      withValue(discordSample, 'clientSecret', 0),
      withValue(discordSample, 'scope', ['identify', 'email']),
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'https://discord.com/oauth2/authorize' },
      query: [
        ['client_id', { config: 'clientId' }],
        ['redirect_uri', { input: 'redirectUri' }],
        ['response_type', { value: 'code' }],
        ['scope', { config: 'scope', default: 'identify email' }],
        ['state', { input: 'state' }],
      ],
    },
  },
  {
    factoryId: 'facebook-universal',
    source: { kind: 'npm', package: '@logto/connector-facebook' },
    description: 'Sign in with a Facebook account using Facebook Login (Graph API v13).',
    logo: { letters: 'f', color: '#1877f2' },
    readme: [
      '# Facebook',
      '',
      'Social sign-in with Facebook Login: OAuth dialog at facebook.com (Graph API v13.0),',
      'then id, name, email and picture are read from the Graph `/me` endpoint.',
      'Published as `@logto/connector-facebook`; supports token storage.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the Facebook App ID.',
      '- `clientSecret` (string, required): the App Secret.',
      '- `scope` (string, optional): comma- or space-separated permissions;',
      '  `email,public_profile` when omitted.',
    ],
    configSchema: clientIdSecretScope,
    sampleConfig: facebookSample,
    invalidConfigs: [
      without(facebookSample, 'clientSecret'),
      withValue(facebookSample, 'clientId', 1234567890123456),
      withValue(facebookSample, 'scope', { email: true }),
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'https://www.facebook.com/v13.0/dialog/oauth' },
      query: [
        ['client_id', { config: 'clientId' }],
        ['redirect_uri', { input: 'redirectUri' }],
        ['response_type', { value: 'code' }],
        ['state', { input: 'state' }],
        ['scope', { config: 'scope', default: 'email,public_profile' }],
      ],
    },
  },
  {
    factoryId: 'feishu-web',
    source: { kind: 'npm', package: '@logto/connector-feishu-web' },
    description: 'Sign in with a Feishu (Lark China) account from a website.',
    logo: { letters: 'FS', color: '#00d6b9', textColor: '#0b1f3a' },
    readme: [
      '# Feishu (web)',
      '',
      'Social sign-in with Feishu for websites: OAuth authorization code at',
      'passport.feishu.cn, then the passport `userinfo` endpoint provides the user id, name,',
      'avatar, email and mobile. Published as `@logto/connector-feishu-web`.',
      '',
      '## Config keys (both required)',
      '- `appId` (string): the Feishu app ID (sent as `client_id`).',
      '- `appSecret` (string): the Feishu app secret.',
    ],
    configSchema: objectSchema({ appId: str, appSecret: str }, ['appId', 'appSecret']),
    sampleConfig: { appId: 'cli_a1b2c3d4e5f60718', appSecret: 'placeholderFeishuAppSecret0123456' },
    invalidConfigs: [
      { appId: 'cli_a1b2c3d4e5f60718' },
      { clientId: 'cli_a1b2c3d4e5f60718', clientSecret: 'placeholderFeishuAppSecret0123456' },
      { appId: 'cli_a1b2c3d4e5f60718', appSecret: 42 },
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'https://passport.feishu.cn/suite/passport/oauth/authorize' },
      query: [
        ['client_id', { config: 'appId' }],
        // The package sends encodeURI(redirectUri), form-encoded again: not expressible.
        ['redirect_uri', { input: 'redirectUri' }, { encoding: 'uriForm' }],
        ['response_type', { value: 'code' }],
        ['state', { input: 'state' }],
      ],
    },
  },
  {
    factoryId: 'gitlab-universal',
    source: { kind: 'npm', package: '@logto/connector-gitlab' },
    description: 'Sign in with a GitLab.com account through GitLab OAuth / OpenID Connect.',
    logo: { letters: 'GL', color: '#fc6d26' },
    readme: [
      '# GitLab',
      '',
      'Social sign-in with GitLab.com accounts: OAuth authorization code (with `openid`',
      'always added to the scopes), then the OpenID `userinfo` endpoint gives the profile.',
      'Published as `@logto/connector-gitlab`. The redirect URI is kept in the sign-in',
      'session, so authorization URIs answer 501 here, as in Logto without a session.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the GitLab application ID.',
      '- `clientSecret` (string, required): the application secret.',
      '- `scope` (string, optional): space-separated scopes; `openid` is appended if missing.',
    ],
    configSchema: clientIdSecretScope,
    sampleConfig: gitlabSample,
    invalidConfigs: [
      without(gitlabSample, 'clientId'),
      withValue(gitlabSample, 'clientSecret', null),
      withValue(gitlabSample, 'scope', 7),
    ],
    authorization: { type: 'notImplemented' },
  },
  {
    factoryId: 'huggingface-universal',
    source: { kind: 'npm', package: '@logto/connector-huggingface' },
    description: 'Sign in with a Hugging Face account through its OAuth / OpenID Connect apps.',
    logo: { letters: 'HF', color: '#ffd21e', textColor: '#1f2937' },
    readme: [
      '# Hugging Face',
      '',
      'Social sign-in with Hugging Face: OAuth authorization code at huggingface.co, then',
      'the OpenID `userinfo` endpoint gives the subject, name, picture and email.',
      'Published as `@logto/connector-huggingface`. The redirect URI is kept in the sign-in',
      'session, so authorization URIs answer 501 here, as in Logto without a session.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the OAuth app client ID.',
      '- `clientSecret` (string, required): the OAuth app client secret.',
      '- `scope` (string, optional): space-separated scopes; `profile` when omitted.',
    ],
    configSchema: clientIdSecretScope,
    sampleConfig: huggingfaceSample,
    invalidConfigs: [
      without(huggingfaceSample, 'clientSecret'),
      withValue(huggingfaceSample, 'clientId', true),
      withValue(huggingfaceSample, 'scope', ['openid']),
    ],
    authorization: { type: 'notImplemented' },
  },
  {
    factoryId: 'kakao-universal',
    source: { kind: 'npm', package: '@logto/connector-kakao' },
    description: 'Sign in with a Kakao account using Kakao Login.',
    logo: { letters: 'K', color: '#fee500', textColor: '#191919' },
    readme: [
      '# Kakao',
      '',
      'Social sign-in with Kakao Login: OAuth 2.0 authorization code at kauth.kakao.com,',
      'then the Kakao user API (`/v2/user/me`) gives the id, nickname, profile image and',
      'email. Published as `@logto/connector-kakao`. No scope is sent: consent items are',
      'configured in the Kakao developer console.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the app\'s REST API key.',
      '- `clientSecret` (string, optional): the client secret, when enabled for the app.',
    ],
    configSchema: objectSchema({ clientId: str, clientSecret: str }, ['clientId']),
    sampleConfig: {
      clientId: '0123456789abcdef0123456789abcdef',
      clientSecret: 'placeholderKakaoClientSecret01234',
    },
    invalidConfigs: [
      { clientSecret: 'placeholderKakaoClientSecret01234' },
      { clientId: '0123456789abcdef0123456789abcdef', clientSecret: null },
      { clientId: 123 },
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'https://kauth.kakao.com/oauth/authorize' },
      query: [
        ['client_id', { config: 'clientId' }],
        ['redirect_uri', { input: 'redirectUri' }],
        ['response_type', { value: 'code' }],
        ['state', { input: 'state' }],
      ],
    },
  },
  {
    factoryId: 'kook-universal',
    source: { kind: 'npm', package: '@logto/connector-kook' },
    description: 'Sign in with a KOOK (Kaiheila) account through KOOK OAuth2.',
    logo: { letters: 'KO', color: '#7cd14a', textColor: '#0f172a' },
    readme: [
      '# KOOK',
      '',
      'Social sign-in with KOOK (formerly Kaiheila), a voice and chat community app:',
      'OAuth2 authorization code at kookapp.cn, then the user is read from `/api/v3/user/me`',
      '(id, username, avatar). Published as `@logto/connector-kook`.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the KOOK developer application client ID.',
      '- `clientSecret` (string, required): the application client secret.',
      '- `scope` (string, optional): space-separated scopes; `get_user_info` when omitted.',
    ],
    configSchema: clientIdSecretScope,
    sampleConfig: kookSample,
    invalidConfigs: [
      without(kookSample, 'clientId'),
      withValue(kookSample, 'clientSecret', ['placeholderKookClientSecret0123']),
      withValue(kookSample, 'scope', false),
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'https://www.kookapp.cn/app/oauth2/authorize' },
      query: [
        ['client_id', { config: 'clientId' }],
        ['redirect_uri', { input: 'redirectUri' }],
        ['response_type', { value: 'code' }],
        ['scope', { config: 'scope', default: 'get_user_info' }],
        ['state', { input: 'state' }],
      ],
    },
  },
];
