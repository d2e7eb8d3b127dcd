// Social connectors, group 2: LINE, LinkedIn, Naver, Patreon, QQ, SAML, Slack, WeChat
// (native + web), WeCom, X, Xiaomi. Shape as in ../specs.mjs; metadata is read from the
// installed npm packages by build-fixtures.mjs.
//
// Authorization rules were derived from each package's lib/index.js:
// - packages whose getAuthorizationUri calls setSession() before returning (LINE, LinkedIn,
//   Patreon, QQ, SAML, Slack, X) get `notImplemented` (Logto's Management API answers 501);
// - Naver, WeChat native/web, WeCom and Xiaomi build the URL without a session.
//   WeChat web and WeCom pass `encodeURI(redirectUri)` to URLSearchParams (double
//   encoding) and WeCom picks its endpoint from the User-Agent: not expressible, the
//   closest rule is used (see the notes on those entries).

import { str, num, bool, objectSchema, without, withValue } from '../schema-helpers.mjs';

const clientCredentialsSchema = (extra = {}, required = ['clientId', 'clientSecret']) =>
  objectSchema({ clientId: str, clientSecret: str, scope: str, ...extra }, required);

// ---------------------------------------------------------------- LINE
const lineSample = {
  clientId: '1657012345',
  clientSecret: '8c1f2e3d4b5a69788796a5b4c3d2e1f0',
  scope: 'openid profile',
};

// ---------------------------------------------------------------- LinkedIn
const linkedinSample = {
  clientId: '86abcde1f2g3h4',
  clientSecret: 'WPL_AP1.placeholderSecret.9f8e7d==',
  scope: 'openid profile email',
};

// ---------------------------------------------------------------- Naver
const naverSample = { clientId: 'aBcD3fGh1JkLmN0pQrSt', clientSecret: 'Xy9Z8w7V6u' };

// ---------------------------------------------------------------- Patreon
const patreonSample = {
  clientId: 'pAtReOnClIeNtId0123456789abcdefghijklmnopqrstuvwx',
  clientSecret: 'pAtReOnSeCrEt9876543210zyxwvutsrqponmlkjihgfedcba',
  scope: 'identity identity[email]',
};

// ---------------------------------------------------------------- QQ
const qqSample = {
  clientId: '102012345',
  clientSecret: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  scope: 'get_user_info',
  redirectUri: 'https://auth.example.com/callback/qq',
};

// ---------------------------------------------------------------- SAML
const SAML_SIGNING_ALGORITHMS = [
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
];
const SAML_NAME_ID_FORMATS = [
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
];
const placeholderKey = (label) =>
  `-----BEGIN ${label}-----\nMIIEpAIBAAKCAQEA0placeholder0key0material0only0not0a0real0key\n-----END ${label}-----`;
// The guard's two .refine() calls: a truthy (non-empty) key is needed once the flag is true.
const requireKeyWhenFlag = (flag, key) => ({
  if: { properties: { [flag]: { const: true } }, required: [flag] },
  then: { properties: { [key]: { type: 'string', minLength: 1 } }, required: [key] },
});
const samlSample = {
  entityID: 'https://auth.example.com/enterprise/saml',
  signInEndpoint: 'https://idp.example.com/sso/saml',
  x509Certificate:
    '-----BEGIN CERTIFICATE-----\nMIIC8DCCAdigAwIBAgIQplaceholder0certificate0only\n-----END CERTIFICATE-----',
  idpMetadataXml:
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/metadata"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso/saml"/></md:IDPSSODescriptor></md:EntityDescriptor>',
  assertionConsumerServiceUrl: 'https://auth.example.com/api/authn/saml/saml-connector-id',
  signAuthnRequest: false,
  requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  messageSigningOrder: 'sign-then-encrypt',
  privateKey: placeholderKey('RSA PRIVATE KEY'),
  encryptAssertion: false,
  encPrivateKey: placeholderKey('RSA PRIVATE KEY'),
  nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  timeout: 10000,
  authnRequestBinding: 'HTTP-Redirect',
  assertionBinding: 'HTTP-POST',
  profileMap: { id: 'nameID', email: 'email', phone: 'phone', name: 'displayName', avatar: 'avatar' },
};

// ---------------------------------------------------------------- Slack
const slackSample = {
  clientId: '1234567890123.4567890123456',
  clientSecret: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  scope: 'openid profile email',
};

// ---------------------------------------------------------------- WeChat
const wechatNativeSample = {
  appId: 'wx0123456789abcdef',
  appSecret: '0123456789abcdef0123456789abcdef',
  universalLinks: 'https://app.example.com/wechat/',
};
const wechatWebSample = {
  appId: 'wxfedcba9876543210',
  appSecret: 'fedcba9876543210fedcba9876543210',
  scope: 'snsapi_login',
};

// ---------------------------------------------------------------- WeCom
const wecomSample = {
  corpId: 'ww0123456789abcdef',
  appSecret: 'WeComAppSecretPlaceholder0123456789abcdefgh',
  agentId: '1000002',
  scope: 'snsapi_privateinfo',
};

// ---------------------------------------------------------------- X
const xSample = {
  clientId: 'WFhDbGllbnRJZFBsYWNlaG9sZGVyOjE6Y2k',
  clientSecret: 'x-client-secret-placeholder-0123456789abcdefABCDEF',
  scope: 'tweet.read users.read users.email',
};

// ---------------------------------------------------------------- Xiaomi
const xiaomiSample = {
  clientId: '2882303761520123456',
  clientSecret: 'XiaomiSecretPlaceholder==',
  scope: '1 3',
  redirectUri: 'https://auth.example.com/callback/xiaomi',
  skipConfirm: true,
};

const NOT_IMPLEMENTED = { type: 'notImplemented' };

export const SPECS = [
  {
    factoryId: 'line-universal',
    source: { kind: 'npm', package: '@logto/connector-line' },
    description: 'Sign in with a LINE account through the LINE Login OAuth 2.1 channel.',
    logo: { letters: 'LN', color: '#06c755' },
    logoDarkStyle: { letters: 'LN', color: '#e6f9ee', textColor: '#06a046' },
    readme: [
      '# LINE',
      '',
      'Social sign-in with LINE accounts via a LINE Login channel (authorization-code flow at',
      'access.line.me, then the LINE profile API for the user id and display name).',
      'Published as `@logto/connector-line`.',
      '',
      'The authorization URI needs a sign-in session (the redirect URI is stored in it), so',
      'the Management API `authorization-uri` endpoint answers 501 for this factory.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the channel ID.',
      '- `clientSecret` (string, required): the channel secret.',
      '- `scope` (string, optional): space-separated scopes; `openid profile` when omitted.',
    ],
    configSchema: clientCredentialsSchema(),
    sampleConfig: lineSample,
    invalidConfigs: [
      without(lineSample, 'clientId'),
      without(lineSample, 'clientSecret'),
      withValue(lineSample, 'scope', ['openid', 'profile']),
    ],
    authorization: NOT_IMPLEMENTED,
  },
  {
    factoryId: 'linkedin-universal',
    source: { kind: 'npm', package: '@logto/connector-linkedin' },
    description: 'Sign in with a LinkedIn account using LinkedIn OpenID Connect sign-in.',
    logo: { letters: 'in', color: '#0a66c2' },
    readme: [
      '# LinkedIn',
      '',
      'Social sign-in with LinkedIn accounts: the OAuth 2.0 authorization-code flow of a',
      'LinkedIn app, then the OpenID `userinfo` endpoint for id, name, email and picture.',
      'Published as `@logto/connector-linkedin`.',
      '',
      'The authorization URI needs a sign-in session (the redirect URI is stored in it), so',
      'the Management API `authorization-uri` endpoint answers 501 for this factory.',
      '',
      '## Config keys',
      '- `clientId` (string, required) and `clientSecret` (string, required): the app',
      '  credentials from the LinkedIn developer portal.',
      '- `scope` (string, optional): space-separated scopes; `openid profile email` when omitted.',
    ],
    configSchema: clientCredentialsSchema(),
    sampleConfig: linkedinSample,
    invalidConfigs: [
      without(linkedinSample, 'clientSecret'),
      withValue(linkedinSample, 'clientId', 86123),
      withValue(linkedinSample, 'scope', null),
    ],
    authorization: NOT_IMPLEMENTED,
  },
  {
    factoryId: 'naver-universal',
    source: { kind: 'npm', package: '@logto/connector-naver' },
    description: 'Sign in with a Naver account through Naver Login (OAuth 2.0).',
    logo: { letters: 'N', color: '#03c75a' },
    readme: [
      '# Naver',
      '',
      'Social sign-in with Naver accounts (Naver Login): the user authorizes at',
      'nid.naver.com, the code is exchanged for a token and the Naver member profile',
      '(id, email, nickname, profile image) is read. Published as `@logto/connector-naver`.',
      '',
      'The authorization URI carries `client_id`, `redirect_uri`, `response_type=code` and',
      '`state`; no scope is sent.',
      '',
      '## Config keys (both required)',
      '- `clientId` (string): the application Client ID.',
      '- `clientSecret` (string): the application Client Secret.',
    ],
    configSchema: objectSchema({ clientId: str, clientSecret: str }, ['clientId', 'clientSecret']),
    sampleConfig: naverSample,
    invalidConfigs: [
      without(naverSample, 'clientId'),
      without(naverSample, 'clientSecret'),
      withValue(naverSample, 'clientSecret', true),
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'https://nid.naver.com/oauth2.0/authorize' },
      query: [
        ['client_id', { config: 'clientId' }],
        ['redirect_uri', { input: 'redirectUri' }],
        ['response_type', { value: 'code' }],
        ['state', { input: 'state' }],
      ],
    },
  },
  {
    factoryId: 'patreon-universal',
    source: { kind: 'npm', package: '@logto/connector-patreon' },
    description: 'Sign in with a Patreon account via Patreon OAuth 2.0.',
    logo: { letters: 'P', color: '#ff424d' },
    logoDarkStyle: { letters: 'P', color: '#fff0f1', textColor: '#d8323c' },
    readme: [
      '# Patreon',
      '',
      'Social sign-in with Patreon accounts: OAuth 2.0 authorization-code flow (token',
      'request with HTTP Basic client authentication), then the current-user API for id,',
      'name, email, avatar and vanity name. Published as `@logto/connector-patreon`.',
      '',
      'The authorization URI needs a sign-in session (the redirect URI is stored in it), so',
      'the Management API `authorization-uri` endpoint answers 501 for this factory.',
      '',
      '## Config keys',
      '- `clientId` (string, required) and `clientSecret` (string, required): the Patreon',
      '  OAuth client credentials.',
      '- `scope` (string, optional): space-separated scopes; `identity identity[email]`',
      '  when omitted.',
    ],
    configSchema: clientCredentialsSchema(),
    sampleConfig: patreonSample,
    invalidConfigs: [
      without(patreonSample, 'clientId'),
      withValue(patreonSample, 'clientSecret', null),
      withValue(patreonSample, 'scope', 42),
    ],
    authorization: NOT_IMPLEMENTED,
  },
  {
    factoryId: 'qq-universal',
    source: { kind: 'npm', package: '@logto/connector-qq' },
    description: 'Sign in with a Tencent QQ account through QQ Connect (OAuth 2.0).',
    logo: { letters: 'QQ', color: '#12b7f5' },
    logoDarkStyle: { letters: 'QQ', color: '#12b7f5' },
    readme: [
      '# QQ',
      '',
      'Social sign-in with Tencent QQ accounts via QQ Connect (graph.qq.com): authorization',
      'code, access token, then OpenID/UnionID and the QQ user info (nickname, avatar). The',
      'UnionID is used as the user id. Published as `@logto/connector-qq`.',
      '',
      'The authorization URI needs a sign-in session (the redirect URI is stored in it), so',
      'the Management API `authorization-uri` endpoint answers 501 for this factory.',
      '',
      '## Config keys',
      '- `clientId` (string, required): the QQ Connect App ID.',
      '- `clientSecret` (string, required): the App Key.',
      '- `scope` (string, optional): comma-separated API scopes; `get_user_info` when omitted.',
      '- `redirectUri` (string, optional): accepted by the config guard; the callback URI',
      '  actually used comes from the sign-in request.',
    ],
    configSchema: clientCredentialsSchema({ redirectUri: str }),
    sampleConfig: qqSample,
    invalidConfigs: [
      without(qqSample, 'clientSecret'),
      withValue(qqSample, 'clientId', 102012345),
      withValue(qqSample, 'redirectUri', { url: 'https://auth.example.com/callback/qq' }),
    ],
    authorization: NOT_IMPLEMENTED,
  },
  {
    factoryId: 'saml',
    source: { kind: 'npm', package: '@logto/connector-saml' },
    description: 'Standard connector for signing in through any SAML 2.0 identity provider.',
    logo: { letters: 'SAML', color: '#5c6bc0' },
    readme: [
      '# SAML',
      '',
      'Standard social connector (several instances allowed) acting as a SAML 2.0 service',
      'provider: an AuthnRequest is sent with the HTTP-Redirect binding, the IdP posts the',
      'assertion back to the ACS URL, and its attributes are mapped to the Logto profile.',
      'The authorization URI needs a sign-in session, so `authorization-uri` answers 501 here.',
      '',
      '## Config keys',
      '- Required strings: `entityID` (SP entity ID / audience), `x509Certificate` (IdP signing',
      '  certificate), `idpMetadataXml` (IdP metadata) and `assertionConsumerServiceUrl`.',
      '- `signInEndpoint` (string), `timeout` (number, ms, default 10000), `nameIDFormat` (a',
      '  SAML 1.1/2.0 NameID format URN), `requestSignatureAlgorithm` (RSA SHA1/SHA256/SHA512',
      '  xmldsig URI), `messageSigningOrder` (`sign-then-encrypt` or `encrypt-then-sign`).',
      '- `signAuthnRequest` (boolean): when true, a non-empty `privateKey` is required',
      '  (`privateKeyPass` optional). `encryptAssertion` (boolean): when true, a non-empty',
      '  `encPrivateKey` is required (`encPrivateKeyPass` optional).',
      '- `authnRequestBinding` (only `HTTP-Redirect`), `assertionBinding` (only `HTTP-POST`).',
      '- `profileMap` (object, optional): assertion attribute names for `id`, `email`, `phone`,',
      '  `name`, `avatar` (each defaults to the same name).',
    ],
    configSchema: objectSchema(
      {
        entityID: str,
        signInEndpoint: str,
        x509Certificate: str,
        idpMetadataXml: str,
        assertionConsumerServiceUrl: str,
        signAuthnRequest: bool,
        requestSignatureAlgorithm: { enum: SAML_SIGNING_ALGORITHMS },
        messageSigningOrder: { enum: ['sign-then-encrypt', 'encrypt-then-sign'] },
        encryptAssertion: bool,
        privateKey: str,
        privateKeyPass: str,
        encPrivateKey: str,
        encPrivateKeyPass: str,
        nameIDFormat: { enum: SAML_NAME_ID_FORMATS },
        timeout: num,
        authnRequestBinding: { enum: ['HTTP-Redirect'] },
        assertionBinding: { enum: ['HTTP-POST'] },
        profileMap: {
          type: 'object',
          properties: { id: str, email: str, phone: str, name: str, avatar: str },
        },
      },
      ['entityID', 'x509Certificate', 'idpMetadataXml', 'assertionConsumerServiceUrl'],
      {
        allOf: [
          requireKeyWhenFlag('signAuthnRequest', 'privateKey'),
          requireKeyWhenFlag('encryptAssertion', 'encPrivateKey'),
        ],
      }
    ),
    sampleConfig: samlSample,
    invalidConfigs: [
      { ...without(samlSample, 'privateKey'), signAuthnRequest: true },
      { ...samlSample, encryptAssertion: true, encPrivateKey: '' },
      without(samlSample, 'idpMetadataXml'),
      withValue(samlSample, 'nameIDFormat', 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity'),
    ],
    authorization: NOT_IMPLEMENTED,
  },
  {
    factoryId: 'slack-universal',
    source: { kind: 'npm', package: '@logto/connector-slack' },
    description: 'Sign in with a Slack account using Sign in with Slack (OpenID Connect).',
    logo: { letters: 'SL', color: '#4a154b' },
    readme: [
      '# Slack',
      '',
      'Social sign-in with Slack accounts through "Sign in with Slack" (OpenID Connect):',
      'the code is exchanged at `openid.connect.token` and the profile (id, name, picture,',
      'verified email) is read from the returned ID token. Published as',
      '`@logto/connector-slack`.',
      '',
      'The authorization URI needs a sign-in session (the redirect URI is stored in it), so',
      'the Management API `authorization-uri` endpoint answers 501 for this factory.',
      '',
      '## Config keys',
      '- `clientId` (string, required) and `clientSecret` (string, required): the Slack app',
      '  credentials.',
      '- `scope` (string, optional): space-separated scopes; `openid profile email` when omitted.',
    ],
    configSchema: clientCredentialsSchema(),
    sampleConfig: slackSample,
    invalidConfigs: [
      without(slackSample, 'clientId'),
      withValue(slackSample, 'clientSecret', ['0f1e2d3c4b5a69788796a5b4c3d2e1f0']),
      withValue(slackSample, 'scope', false),
    ],
    authorization: NOT_IMPLEMENTED,
  },
  {
    factoryId: 'wechat-native',
    source: { kind: 'npm', package: '@logto/connector-wechat-native' },
    description: 'Sign in with WeChat from a native iOS or Android app through the WeChat SDK.',
    logo: { letters: 'WX', color: '#07c160' },
    readme: [
      '# WeChat (native)',
      '',
      'Social sign-in with WeChat for native apps: the authorization URI is a `wechat://`',
      'link carrying `app_id`, `state` and, when configured, `universal_link`, which the',
      'app hands to the WeChat Open SDK. The returned code is exchanged for a token and the',
      'WeChat user info (UnionID or OpenID, nickname, avatar) is read.',
      'Published as `@logto/connector-wechat-native`.',
      '',
      '## Config keys',
      '- `appId` (string, required): the mobile app AppID from the WeChat Open Platform.',
      '- `appSecret` (string, required): the matching AppSecret.',
      '- `universalLinks` (string, optional): the iOS Universal Link registered for the app;',
      '  sent as `universal_link` (left out when empty).',
    ],
    configSchema: objectSchema({ appId: str, appSecret: str, universalLinks: str }, [
      'appId',
      'appSecret',
    ]),
    sampleConfig: wechatNativeSample,
    invalidConfigs: [
      without(wechatNativeSample, 'appId'),
      without(wechatNativeSample, 'appSecret'),
      withValue(wechatNativeSample, 'universalLinks', ['https://app.example.com/wechat/']),
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'wechat://' },
      query: [
        ['app_id', { config: 'appId' }],
        ['state', { input: 'state' }],
        ['universal_link', { config: 'universalLinks' }],
      ],
    },
  },
  {
    factoryId: 'wechat-web',
    source: { kind: 'npm', package: '@logto/connector-wechat-web' },
    description: 'Sign in with WeChat on websites by scanning a QR code (WeChat Open Platform).',
    logo: { letters: 'WXW', color: '#1aad19' },
    readme: [
      '# WeChat (web)',
      '',
      'Social sign-in with WeChat for websites: the user scans a QR code on',
      'open.weixin.qq.com (`qrconnect`), the code is exchanged for a token and the WeChat',
      'user info (UnionID or OpenID, nickname, avatar) is read.',
      'Published as `@logto/connector-wechat-web`.',
      '',
      'Note: the package runs `encodeURI` on the redirect URI before query-encoding it, so',
      'characters such as spaces end up double-encoded (`%2520`); this mock encodes once.',
      '',
      '## Config keys',
      '- `appId` (string, required): the website application AppID.',
      '- `appSecret` (string, required): the matching AppSecret.',
      '- `scope` (string, optional): `snsapi_login` when omitted.',
    ],
    configSchema: objectSchema({ appId: str, appSecret: str, scope: str }, ['appId', 'appSecret']),
    sampleConfig: wechatWebSample,
    invalidConfigs: [
      without(wechatWebSample, 'appSecret'),
      withValue(wechatWebSample, 'appId', null),
      withValue(wechatWebSample, 'scope', { value: 'snsapi_login' }),
    ],
    // The package sends redirect_uri=URLSearchParams(encodeURI(redirectUri)): `uriForm`.
    authorization: {
      type: 'redirect',
      endpoint: { value: 'https://open.weixin.qq.com/connect/qrconnect' },
      query: [
        ['appid', { config: 'appId' }],
        ['redirect_uri', { input: 'redirectUri' }, { encoding: 'uriForm' }],
        ['response_type', { value: 'code' }],
        ['scope', { config: 'scope', default: 'snsapi_login' }],
        ['state', { input: 'state' }],
      ],
    },
  },
  {
    factoryId: 'wecom-universal',
    source: { kind: 'npm', package: '@logto/connector-wecom' },
    description: 'Sign in with a WeCom (WeChat Work) account, by QR code or inside the WeCom app.',
    logo: { letters: 'WC', color: '#2b7de9' },
    readme: [
      '# WeCom',
      '',
      'Social sign-in with WeCom (enterprise WeChat) members. Outside the WeCom client the',
      'user scans a QR code (open.work.weixin.qq.com `qrConnect`); inside it (User-Agent',
      'containing `wxwork`) the in-app OAuth page is used. Both URLs end in `#wechat_redirect`.',
      'Published as `@logto/connector-wecom`.',
      '',
      '## Config keys',
      '- `corpId` (string, required): the corporation ID (sent as `appid`).',
      '- `appSecret` (string, required): the secret of the self-built application.',
      '- `agentId` (string, required): the application AgentId (sent as `agentid`).',
      '- `scope` (string, optional): `snsapi_userinfo` when omitted; use',
      '  `snsapi_privateinfo` to also read phone, email and avatar.',
    ],
    configSchema: objectSchema({ corpId: str, appSecret: str, scope: str, agentId: str }, [
      'corpId',
      'appSecret',
      'agentId',
    ]),
    sampleConfig: wecomSample,
    invalidConfigs: [
      without(wecomSample, 'agentId'),
      withValue(wecomSample, 'agentId', 1000002),
      without(wecomSample, 'corpId'),
    ],
    // redirect_uri double-encoded as wechat-web.
    authorization: {
      type: 'redirect',
      // The package picks the in-app URL when the caller's User-Agent, lower-cased, contains
      // `wxwork` (Logto passes the request's User-Agent to the connector).
      endpoint: {
        if: { text: { header: 'user-agent', lowercase: true }, contains: 'wxwork' },
        then: { value: 'https://open.weixin.qq.com/connect/oauth2/authorize' },
        else: { value: 'https://open.work.weixin.qq.com/wwopen/sso/qrConnect' },
      },
      query: [
        ['appid', { config: 'corpId' }],
        ['redirect_uri', { input: 'redirectUri' }, { encoding: 'uriForm' }],
        ['response_type', { value: 'code' }],
        ['scope', { config: 'scope', default: 'snsapi_userinfo' }],
        ['state', { input: 'state' }],
        ['agentid', { config: 'agentId' }],
      ],
      fragment: 'wechat_redirect',
    },
  },
  {
    factoryId: 'x-universal',
    source: { kind: 'npm', package: '@logto/connector-x' },
    description: 'Sign in with an X (Twitter) account via OAuth 2.0 with PKCE.',
    logo: { letters: 'X', color: '#000000' },
    logoDarkStyle: { letters: 'X', color: '#ffffff', textColor: '#000000' },
    readme: [
      '# X (Twitter)',
      '',
      'Social sign-in with X accounts: OAuth 2.0 authorization code with PKCE (S256), token',
      'request with HTTP Basic client authentication, then `users/me` for id and name (and',
      'the confirmed email when `users.email` is in the scope). Published as',
      '`@logto/connector-x`.',
      '',
      'The PKCE code verifier is stored in the sign-in session, so the Management API',
      '`authorization-uri` endpoint answers 501 for this factory.',
      '',
      '## Config keys',
      '- `clientId` (string, required) and `clientSecret` (string, required): the X app',
      '  OAuth 2.0 client credentials.',
      '- `scope` (string, optional): space-separated scopes; `tweet.read users.read` when omitted.',
    ],
    configSchema: clientCredentialsSchema(),
    sampleConfig: xSample,
    invalidConfigs: [
      without(xSample, 'clientSecret'),
      without(xSample, 'clientId'),
      withValue(xSample, 'scope', ['tweet.read', 'users.read']),
    ],
    authorization: NOT_IMPLEMENTED,
  },
  {
    factoryId: 'xiaomi-universal',
    source: { kind: 'npm', package: '@logto/connector-xiaomi' },
    description: 'Sign in with a Xiaomi account through Xiaomi Account OAuth 2.0.',
    logo: { letters: 'MI', color: '#ff6900' },
    readme: [
      '# Xiaomi',
      '',
      'Social sign-in with Xiaomi accounts: authorization at account.xiaomi.com, token',
      'exchange, then the Xiaomi profile (UnionID, nickname, avatar).',
      'Published as `@logto/connector-xiaomi`.',
      '',
      '## Config keys',
      '- `clientId` (string, required) and `clientSecret` (string, required): the Xiaomi',
      '  open-platform app credentials.',
      '- `scope` (string, optional): space-separated numeric scope ids; `1` (user profile)',
      '  when omitted.',
      '- `skipConfirm` (boolean, optional): skip the consent page for signed-in users; sent',
      '  as `skip_confirm` (`false` when omitted).',
      '- `redirectUri` (string, optional): accepted by the guard but not used for the',
      '  authorization URI (the request supplies it).',
    ],
    configSchema: clientCredentialsSchema({ redirectUri: str, skipConfirm: bool }),
    sampleConfig: xiaomiSample,
    invalidConfigs: [
      without(xiaomiSample, 'clientId'),
      withValue(xiaomiSample, 'skipConfirm', 'true'),
      withValue(xiaomiSample, 'redirectUri', 42),
    ],
    authorization: {
      type: 'redirect',
      endpoint: { value: 'https://account.xiaomi.com/oauth2/authorize' },
      query: [
        ['client_id', { config: 'clientId' }],
        ['redirect_uri', { input: 'redirectUri' }],
        ['response_type', { value: 'code' }],
        ['state', { input: 'state' }],
        ['scope', { config: 'scope', default: '1' }],
        ['skip_confirm', { config: 'skipConfirm', default: 'false' }],
      ],
    },
  },
];
