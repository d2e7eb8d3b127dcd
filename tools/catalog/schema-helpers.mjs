// Shared JSON Schema building blocks for the fixture specs (dev-time only).

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

// Logto's TemplateType enum (@logto/connector-kit, types/passwordless).
export const TEMPLATE_TYPES = [
  'SignIn',
  'Register',
  'ForgotPassword',
  'OrganizationInvitation',
  'Generic',
  'UserPermissionValidation',
  'BindNewIdentifier',
  'MfaVerification',
  'BindMfa',
];

// usageType values that the Twilio / SMTP guards refine `templates` to contain.
export const REQUIRED_USAGE_TYPES = ['Register', 'SignIn', 'ForgotPassword', 'Generic'];

export const str = { type: 'string' };
export const num = { type: 'number' };
export const bool = { type: 'boolean' };
export const stringRecord = { type: 'object', additionalProperties: str };
export const stringOrStringArray = { anyOf: [str, { type: 'array', items: str }] };

export const containsUsageTypes = (types) =>
  types.map((usageType) => ({
    contains: {
      type: 'object',
      properties: { usageType: { const: usageType } },
      required: ['usageType'],
    },
  }));

export const objectSchema = (properties, required, extra = {}) => ({
  $schema: SCHEMA_DIALECT,
  type: 'object',
  properties,
  ...(required.length > 0 ? { required } : {}),
  ...extra,
});

export const without = (object, key) => {
  const copy = structuredClone(object);
  delete copy[key];
  return copy;
};
export const withValue = (object, key, value) => ({ ...structuredClone(object), [key]: value });

/**
 * Teaches ajv the two manifest extensions for zod string checks (see fixtures/README.md):
 * `format: "url"` (zod's url(): `new URL()` parses it) and `startsWith` / `endsWith`
 * (zod's refinements, on the string as given).
 */
export function addZodStringChecks(ajv) {
  ajv.addFormat('url', (text) => {
    try {
      new URL(text);
      return true;
    } catch {
      return false;
    }
  });
  for (const [keyword, holds] of [
    ['startsWith', (data, affix) => data.startsWith(affix)],
    ['endsWith', (data, affix) => data.endsWith(affix)],
  ]) {
    ajv.addKeyword({
      keyword,
      type: 'string',
      schemaType: 'string',
      validate: (affix, data) => holds(data, affix),
    });
  }
  return ajv;
}
