// The factories Logto's connector scenarios use (Logto's own test connectors, bundled with
// connector-mock) and one valid config for each. The values are ours; what matters is which
// config guard each one satisfies.

export const SMS = 'mock-short-message-service';
export const EMAIL = 'mock-email-service';
export const ALTERNATIVE_EMAIL = 'mock-email-service-alternative';
export const SOCIAL = 'mock-social-connector';

/** Every usage type an Email or SMS template may carry (connector-kit's TemplateType). */
const USAGE_TYPES = [
  'SignIn',
  'Register',
  'ForgotPassword',
  'Generic',
  'OrganizationInvitation',
  'UserPermissionValidation',
  'BindNewIdentifier',
  'MfaVerification',
  'BindMfa',
];

const bodyFor = (usageType) =>
  usageType === 'OrganizationInvitation'
    ? `Scenario ${usageType}: join with {{link}}`
    : `Scenario ${usageType}: your code is {{code}}`;

/** A config `mock-short-message-service` accepts: one template per usage type. */
export const smsConfig = {
  accountSID: 'scenario-account-sid',
  authToken: 'scenario-auth-token',
  fromMessagingServiceSID: 'scenario-messaging-service-sid',
  templates: USAGE_TYPES.map((usageType) => ({ usageType, content: bodyFor(usageType) })),
};

const emailTemplates = (usageTypes, tag) =>
  usageTypes.map((usageType) => ({
    usageType,
    type: 'text/plain',
    subject: `${tag} ${usageType} subject`,
    content: bodyFor(usageType),
  }));

/** A config `mock-email-service` accepts, with a `Generic` template for test messages. */
export const emailConfig = {
  apiKey: 'scenario-api-key',
  fromEmail: 'noreply@scenarios.example',
  fromName: 'Scenario mailer',
  templates: emailTemplates(USAGE_TYPES, 'Primary'),
};

/** A config `mock-email-service-alternative` accepts (every key of its guard is optional). */
export const alternativeEmailConfig = {
  apiKey: 'scenario-alternative-api-key',
  fromEmail: 'noreply@alternative.scenarios.example',
  fromName: 'Alternative scenario mailer',
  templates: emailTemplates(['SignIn', 'Register', 'ForgotPassword', 'Generic'], 'Alternative'),
};

/** Two configs `mock-social-connector` accepts. */
export const socialConfig = { clientId: 'scenario-client-id', clientSecret: 'scenario-client-secret' };
export const socialNewConfig = { clientId: 'scenario-client-id-2', clientSecret: 'scenario-client-secret-2' };

/** The three factories the set-up flow installs, each with its config. */
export const setups = [
  { connectorId: SMS, config: smsConfig },
  { connectorId: EMAIL, config: emailConfig },
  { connectorId: SOCIAL, config: socialConfig },
];

/** A unique address, so a record file or outbox entry is known to be this run's. */
export const uniqueEmail = () => `${crypto.randomUUID()}@scenarios.example`;
/** A unique digits-only phone number (Logto's phone rule). */
export const uniquePhone = () => `86${String(Date.now()).slice(-8)}${Math.floor(Math.random() * 1000).toString().padStart(3, '0')}`;
